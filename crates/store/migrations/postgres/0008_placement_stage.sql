-- The stage hiresync last placed or moved a person at, so a move need not read it back first:
-- NULL not known (placed before this column), '' placed without a stage (a Greenhouse prospect on a job).
alter table contact_syncs add column placement_stage text;

-- A contact's decisions for a connection are carried out in order by one job that reads
-- those after the last one carried out, instead of by a job per event: ingest writes a job
-- row (and its four index entries) only when the contact has no job waiting already.

-- That job reads them by this index. SQLite finds them through the contact's events and the
-- unique index below instead (see events::to_carry), which spares every decision an entry;
-- PostgreSQL's planner, given that join, hashed it against every decision after the mark.
create index decisions_to_carry on decisions (connection_id, contact, id);
-- Here nothing reads by the unique index, and it only guarded what ingest already ensures: a
-- decision is stored only for an event stored for the first time, so none repeats.
alter table decisions drop constraint decisions_workspace_id_event_id_connection_id_key;

create table decision_cursors (
    connection_id text not null,
    contact text not null,
    carried_through bigint not null,
    primary key (connection_id, contact)
);

-- Decisions stored before this each have a job of their own (sync_event_v1) that carries them out.
insert into decision_cursors (connection_id, contact, carried_through)
    select connection_id, contact, max(id) from decisions group by connection_id, contact;

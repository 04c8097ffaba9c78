-- Claims read unfinished jobs highest priority first, then oldest: an index in
-- exactly that order lets the claim stop after a few rows instead of sorting
-- every job ever enqueued.
drop index jobs_claimable;
create index jobs_claimable on jobs (priority desc, id) where state in ('queued', 'running');

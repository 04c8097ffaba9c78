-- A job changes state twice (claimed, finished), and an index on (workspace, state) moved
-- its entry both times: a fifth of a no-op job's cost on SQLite. Listing a workspace's jobs
-- newest first needs only (workspace, id), which no state change touches; queued and running
-- jobs are among the newest, done ones are most jobs, and dead ones, which can be old and
-- few, keep an index of their own that only a job's death and retry change.
drop index jobs_by_workspace;
create index jobs_by_workspace on jobs (workspace_id, id);
create index jobs_dead_by_workspace on jobs (workspace_id, id) where state = 'dead';

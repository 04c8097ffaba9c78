-- A connection shows since when it fails, and when it may next be probed while its jobs wait.
alter table connections add column failing_since timestamptz, add column probe_at timestamptz;

-- A removed user's tokens stop working and the row stays for what it wrote.
alter table users add column deleted_at timestamptz;

-- A job that waits for its connection to be fixed is held: not claimable, but still before
-- the later jobs of its ordering key. Waits (budget, Retry-After, outages) do not spend
-- attempts; their count only grows the delay before the next try.
alter table jobs add column waits bigint not null default 0;
drop index jobs_by_key;
create index jobs_by_key on jobs (ordering_key, id) where state in ('queued', 'running', 'held');
create index jobs_held_by_connection on jobs (connection_id, id) where state = 'held';

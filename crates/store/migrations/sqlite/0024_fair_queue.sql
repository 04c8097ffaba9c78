-- Fair claiming (issue 25). A job's turn is its place in the claim order: each workspace has a
-- lane per priority, and a lane's next turn starts no earlier than the head of the queue, so a
-- workspace that enqueues 50,000 jobs takes turns 1..50,000 while one that arrives later
-- queues right behind the head instead of behind the whole flood. Jobs already queued keep
-- their order.
alter table jobs add column turn bigint not null default 0;
update jobs set turn = id;

create table queue_lanes (
    workspace_id text not null,
    priority bigint not null,
    turn bigint not null,
    primary key (workspace_id, priority)
);

drop index jobs_claimable;
create index jobs_claimable on jobs (priority desc, turn, id) where state in ('queued', 'running');

-- A connection holds at most a few worker slots: the claim counts the jobs each one runs now.
create index jobs_running_by_connection on jobs (connection_id, lease_expires_at) where state = 'running';

-- A sequence's resync lists its contacts a slice per transaction, each slice a job of its own;
-- it cannot finish before the last slice is listed. Earlier resyncs were listed whole.
alter table resyncs add column listed boolean not null default true;
-- Resyncs in flight per workspace are counted when one is asked for.
create index resyncs_unfinished on resyncs (workspace_id) where finished_at is null;

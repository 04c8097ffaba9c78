-- Bulk work (SPEC R1-R3). A resync names its contacts up front; each item's
-- outcome is written by the job that completes it, so the counts read back
-- from the items can never drift from what the jobs did (a dead job's manual
-- retry turns "failed" into "synced" instead of counting twice).
create table resyncs (
    id text primary key,
    workspace_id text not null references workspaces (id),
    connection_id text not null references connections (id),
    sequence text,
    created_by text not null,
    created_at bigint not null
);
create index resyncs_by_workspace on resyncs (workspace_id, created_at);

create table resync_items (
    resync_id text not null references resyncs (id),
    contact text not null,
    outcome text not null,
    reason text,
    updated_at bigint not null,
    primary key (resync_id, contact)
);

-- An import of a provider target's people into a sequence, once or hourly.
create table imports (
    id text primary key,
    workspace_id text not null references workspaces (id),
    connection_id text not null references connections (id),
    target text not null,
    sequence text not null,
    recurring bigint not null,
    state text not null,
    runs bigint not null default 0,
    last_run_at bigint,
    next_run_at bigint,
    last_error text,
    created_by text not null,
    created_at bigint not null,
    stopped_at bigint
);
create index imports_by_workspace on imports (workspace_id, created_at);

-- Every person an import has seen, once: what became of them and which contact holds them.
create table import_people (
    import_id text not null references imports (id),
    person_id text not null,
    outcome text not null,
    contact text,
    first_seen_at bigint not null,
    updated_at bigint not null,
    primary key (import_id, person_id)
);

-- Imports ask "is this person already linked to a contact on this connection?".
create index contact_syncs_by_person on contact_syncs (connection_id, person_id);

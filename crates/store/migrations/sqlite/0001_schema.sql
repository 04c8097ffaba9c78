create table workspaces (
    id text primary key,
    name text not null,
    settings text not null default '{}',
    created_at bigint not null
);

create table users (
    id text primary key,
    workspace_id text not null references workspaces (id),
    email text not null,
    role text not null,
    groups text not null default '[]',
    token_hash text not null unique,
    created_at bigint not null,
    unique (workspace_id, email)
);

create table connections (
    id text primary key,
    workspace_id text not null references workspaces (id),
    user_id text references users (id),
    provider text not null,
    base_url text,
    auth_base_url text,
    sealed_credentials text not null,
    key_id text not null,
    status text not null,
    last_error text,
    settings text not null default '{}',
    created_at bigint not null,
    deleted_at bigint
);
create index connections_by_workspace on connections (workspace_id, user_id);

create table workspace_defaults (
    workspace_id text not null references workspaces (id),
    provider text not null,
    settings text not null,
    primary key (workspace_id, provider)
);

create table sequences (
    workspace_id text not null references workspaces (id),
    external_id text not null,
    name text not null,
    owner_id text not null references users (id),
    sync_disabled bigint not null,
    target text,
    sync_tags text not null,
    created_at bigint not null,
    updated_at bigint not null,
    primary key (workspace_id, external_id)
);

create table contacts (
    workspace_id text not null references workspaces (id),
    external_id text not null,
    data text not null,
    created_at bigint not null,
    updated_at bigint not null,
    primary key (workspace_id, external_id)
);

create table enrollments (
    workspace_id text not null,
    contact text not null,
    sequence text not null,
    added_at bigint not null,
    added_while_disabled bigint not null,
    replied_at bigint,
    primary key (workspace_id, contact, sequence)
);

create table events (
    workspace_id text not null references workspaces (id),
    id text not null,
    kind text not null,
    contact text not null,
    sequence text,
    occurred_at bigint not null,
    data text not null,
    received_at bigint not null,
    primary key (workspace_id, id)
);
create index events_by_contact on events (workspace_id, contact, occurred_at);

create table contact_syncs (
    workspace_id text not null,
    connection_id text not null references connections (id),
    contact text not null,
    state text not null,
    reason text,
    person_id text,
    person_url text,
    target text,
    errors text not null default '[]',
    updated_at bigint not null,
    primary key (connection_id, contact)
);
create index contact_syncs_by_contact on contact_syncs (workspace_id, contact);

create table sync_log (
    id integer primary key autoincrement,
    workspace_id text not null,
    connection_id text,
    contact text,
    job_id bigint,
    operation text not null,
    outcome text not null,
    detail text,
    at bigint not null
);
create index sync_log_by_contact on sync_log (workspace_id, contact, id);

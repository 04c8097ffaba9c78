-- The web console (issue 28): signed-in browser sessions and one-time sign-in links. Only
-- SHA-256 hashes of the session ids and link tokens are stored, so a copy of the database
-- signs nobody in.
create table console_sessions (
    id_hash text primary key,
    workspace_id text not null references workspaces (id),
    user_id text not null references users (id),
    created_at bigint not null,
    expires_at bigint not null
);
create index console_sessions_by_expiry on console_sessions (expires_at);

create table console_links (
    token_hash text primary key,
    workspace_id text not null references workspaces (id),
    user_id text not null references users (id),
    created_at bigint not null,
    expires_at bigint not null,
    used_at bigint
);
create index console_links_by_expiry on console_links (expires_at);

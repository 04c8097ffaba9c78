-- Contracts created in Oneflow for Teamtailor candidates (SPEC B), with the
-- field values both sides last agreed on: a change is a value that differs
-- from it, so hiresync's own writes, echoed back, change nothing.
create table contracts (
    id text primary key,
    workspace_id text not null references workspaces (id),
    oneflow_connection_id text not null references connections (id),
    teamtailor_connection_id text not null references connections (id),
    contract_id bigint not null,
    candidate text not null,
    oneflow_workspace_id bigint not null,
    template_id bigint not null,
    name text,
    url text not null,
    field_map text not null,
    synced text not null,
    state text not null,
    upload_id text,
    attached_at bigint,
    created_at bigint not null,
    updated_at bigint not null,
    unique (oneflow_connection_id, contract_id)
);
create index contracts_by_candidate on contracts (teamtailor_connection_id, candidate);

-- Webhook deliveries seen per connection, by the provider's idempotency key:
-- a replay finds its key here and changes nothing.
create table webhook_deliveries (
    connection_id text not null references connections (id),
    delivery_key text not null,
    workspace_id text not null,
    provider text not null,
    body text not null,
    received_at bigint not null,
    primary key (connection_id, delivery_key)
);

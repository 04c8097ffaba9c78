-- Where a synced person was placed, so later events can move its stage.
alter table contact_syncs add column placement_id text;

-- Notes already written per event and connection: a repeated job skips them.
create table notes (
    connection_id text not null,
    event_id text not null,
    workspace_id text not null,
    contact text not null,
    note_id text not null,
    written_at bigint not null,
    primary key (connection_id, event_id)
);

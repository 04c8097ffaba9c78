-- A contact's decisions for a connection are carried out in order by one job that reads
-- those after the last one carried out, instead of by a job per event: ingest writes a job
-- row (and its four index entries) only when the contact has no job waiting already.

create table decision_cursors (
    connection_id text not null,
    contact text not null,
    carried_through bigint not null,
    primary key (connection_id, contact)
);

-- Decisions stored before this each have a job of their own (sync_event_v1) that carries them out.
insert into decision_cursors (connection_id, contact, carried_through)
    select connection_id, contact, max(id) from decisions group by connection_id, contact;

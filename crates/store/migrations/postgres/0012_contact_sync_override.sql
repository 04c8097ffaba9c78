-- Each batch of events reads its contacts' own sync override (SPEC S3) while ingest holds the
-- writer; kept beside the description, it is read without parsing every contact's JSON.
alter table contacts add column sync_override text;
update contacts set sync_override = cast(data as json) ->> 'sync_override'
    where json_typeof(cast(data as json) -> 'sync_override') = 'string';

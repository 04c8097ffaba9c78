-- Every event checked its workspace through this foreign key: a lookup and a share lock on
-- the workspace's row per event, taken by every ingest batch of the workspace at once, so
-- concurrent batches queued on that one row. Events are stored only for the caller's own
-- workspace, which exists, and workspaces are never deleted; the key guarded nothing.
alter table events drop constraint events_workspace_id_fkey;

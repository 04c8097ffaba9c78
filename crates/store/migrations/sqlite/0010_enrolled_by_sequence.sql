-- A resync of a sequence pages through its contacts in the order they joined, so memory
-- stays flat in the sequence's size; without this index each page read and sorted all of
-- the workspace's enrollments.
create index enrollments_by_sequence on enrollments (workspace_id, sequence, added_at, contact);

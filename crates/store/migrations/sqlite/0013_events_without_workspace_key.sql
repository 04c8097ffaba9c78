-- PostgreSQL drops the events' foreign key to workspaces here (see its 0013). SQLite keeps it:
-- its check takes no lock, the batch holds the write lock anyway, and dropping it would mean
-- rebuilding the table.
select 1;

-- PostgreSQL keys its decisions by (connection, contact, id) here (see its 0014). SQLite keeps
-- its own: its id is the table's rowid, which costs no index of its own, and it finds a
-- contact's decisions through the contact's events instead.
select 1;

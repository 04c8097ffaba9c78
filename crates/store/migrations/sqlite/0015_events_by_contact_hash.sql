-- PostgreSQL finds a contact's events by a hash index here (see its 0015). SQLite keeps its
-- ordered index: the decisions' carrying job walks a contact's events through it.
select 1;

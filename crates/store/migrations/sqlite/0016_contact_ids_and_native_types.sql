-- A contact's id is `contact_id` in every table, as it is in the code. The carry marks (how far
-- each contact's decisions have been carried out per connection) are named for what they are.
-- PostgreSQL also moves to its native types here (see its 0016); SQLite keeps its own: times as
-- epoch milliseconds, flags as 0 or 1, JSON as text.
alter table enrollments rename column contact to contact_id;
alter table events rename column contact to contact_id;
alter table contact_syncs rename column contact to contact_id;
alter table sync_log rename column contact to contact_id;
alter table decisions rename column contact to contact_id;
alter table jobs rename column contact to contact_id;
alter table notes rename column contact to contact_id;
alter table resync_items rename column contact to contact_id;
alter table import_people rename column contact to contact_id;
alter table decision_cursors rename to carry_marks;
alter table carry_marks rename column contact to contact_id;

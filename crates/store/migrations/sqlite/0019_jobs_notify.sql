-- One process uses a SQLite database: its API wakes its worker in memory. (PostgreSQL's 0019
-- notifies the workers of other processes.)
select 1;

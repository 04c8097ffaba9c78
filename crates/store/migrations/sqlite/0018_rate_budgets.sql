-- One process uses a SQLite database: it keeps its rate budgets in memory. (PostgreSQL's
-- 0018 adds the table processes sharing a database keep them in.)
select 1;

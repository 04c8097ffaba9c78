-- Rate budgets that hiresync processes sharing this database keep together: one row per
-- provider credential, keyed by provider and the credential's fingerprint (a hash, never the
-- secret), holding its limiter's state. `version` rises with every write, so a process stores
-- a new state only over the one it read.
create table rate_budgets (
    key text primary key,
    state jsonb not null,
    version bigint not null,
    updated_at timestamptz not null
);

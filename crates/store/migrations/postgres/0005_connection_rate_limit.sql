-- A connection's own request allowance ({"requests", "per_seconds"}), replacing the provider's published one.
alter table connections add column rate_limit text;

-- What registering the provider's webhook for a connection gave (its id at the provider and
-- the callback URL), or why it was not registered: JSON, none before anything was tried.
alter table connections add column webhook text;

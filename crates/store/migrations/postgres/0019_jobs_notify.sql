-- Workers in other processes hear of new jobs at once: every statement that inserts jobs
-- notifies `hiresync_jobs`. A notification goes out when its transaction commits (never for
-- one rolled back), and PostgreSQL sends one per channel and payload per transaction however
-- many statements raised it.
create function hiresync_jobs_enqueued() returns trigger language plpgsql as $$
begin
    perform pg_notify('hiresync_jobs', '');
    return null;
end
$$;

create trigger jobs_enqueued after insert on jobs for each statement execute function hiresync_jobs_enqueued();

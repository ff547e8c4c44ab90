-- Replicas arm a timer for the earliest "nextCheckAt" and send new outbox rows at once. These triggers tell
-- every listening replica (LISTEN escalator_due / escalator_outbox) when either changed, once per statement;
-- PostgreSQL delivers a notification only when its transaction commits, and folds repeats within one.
CREATE OR REPLACE FUNCTION escalator_notify_due() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('escalator_due', '');
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION escalator_notify_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('escalator_outbox', '');
  RETURN NULL;
END
$$;

CREATE TRIGGER "Ticket_nextCheckAt_notify" AFTER INSERT OR UPDATE OF "nextCheckAt" ON "Ticket"
  FOR EACH STATEMENT EXECUTE FUNCTION escalator_notify_due();

CREATE TRIGGER "Notification_insert_notify" AFTER INSERT ON "Notification"
  FOR EACH STATEMENT EXECUTE FUNCTION escalator_notify_outbox();

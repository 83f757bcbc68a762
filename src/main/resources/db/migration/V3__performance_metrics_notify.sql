-- GET /analytics/performance/stream?follow=true keeps a stream open and sends metrics as they are written:
-- every statement that inserts metrics wakes the followers (one notification per statement, not per row).
CREATE FUNCTION notify_performance_metrics() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('sluice_performance_metrics', '');
  RETURN NULL;
END
$$;

CREATE TRIGGER performance_metrics_notify
  AFTER INSERT ON performance_metrics
  FOR EACH STATEMENT EXECUTE FUNCTION notify_performance_metrics();

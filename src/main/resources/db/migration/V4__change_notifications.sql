-- Every committed write to a domain table, by Sluice or by anyone else on the database, notifies channel
-- sluice_changes with the table's name: the caches of every node drop what the write made stale, and following
-- streams (performance metrics) read what is new. One notification per statement, not per row; PostgreSQL folds
-- repeats within a transaction and delivers them at commit.
CREATE FUNCTION sluice_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('sluice_changes', TG_TABLE_NAME);
  RETURN NULL;
END
$$;

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['users', 'videos', 'video_events', 'user_sessions', 'templates', 'template_assets',
                           'performance_metrics', 'error_logs', 'search_terms'] LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I '
                   'FOR EACH STATEMENT EXECUTE FUNCTION sluice_notify_change()', t || '_changed', t);
  END LOOP;
END
$$;

-- the performance stream's own channel (V3) is folded into the one above
DROP TRIGGER performance_metrics_notify ON performance_metrics;
DROP FUNCTION notify_performance_metrics();

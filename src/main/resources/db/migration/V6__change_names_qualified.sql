-- A change notification names its table as schema.name (public.videos), as the notifications of declared
-- datasets' tables do (`datasets triggers`): the demo's tables are declared datasets too, and one name per table
-- lets every cache entry and following stream match a write whoever's trigger announced it.
CREATE OR REPLACE FUNCTION sluice_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('sluice_changes', TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME);
  RETURN NULL;
END
$$;

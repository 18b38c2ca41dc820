-- Aggregator on Citus: run once on the coordinator after the API has applied its migrations there, with the workers
-- added and the coordinator in the metadata (deploy/citus/docker-compose.yml does all three). Run again after a
-- migration that adds a table; tables already placed are left as they are.
--
--   facts, distributed by agency and co-located: reports, revisions, report_cells — every key and foreign key among
--     them starts with agency_id, so a report's writes and an agency's reads stay on one worker;
--   reference tables, copied to every worker: divisions, agencies, api_keys, rollup_slots — small, read with the facts;
--   coordinator (Citus local) tables: the rollup read model (rollup_*: small, folded by one process, read by every
--     rollup), the audit trail and the migrations history — written beside the facts, never joined with them.
--
-- CitusSchemaTests reads the three lists below against the migrated schema: every table is placed exactly once, and
-- the keys and foreign keys follow Citus' rules for the place given. Keep both true when a migration adds a table.
CREATE EXTENSION IF NOT EXISTS citus;

DO $$
DECLARE
  reference_tables   text[] := ARRAY['divisions', 'agencies', 'api_keys', 'rollup_slots'];
  distributed_tables text[] := ARRAY['reports', 'revisions', 'report_cells'];
  coordinator_tables text[] := ARRAY['rollup_groups', 'rollup_agencies', 'rollup_state', 'rollup_deltas', 'audit_events', '__ef_migrations_history'];
  t text;
  fk record;
  saved text[] := '{}';
BEGIN
  IF (SELECT count(*) FROM pg_dist_partition
      WHERE logicalrelid::text = ANY (reference_tables || distributed_tables || coordinator_tables))
     = cardinality(reference_tables || distributed_tables || coordinator_tables) THEN
    RAISE NOTICE 'every table is placed already';
    RETURN;
  END IF;

  -- Citus places one table at a time and checks each foreign key as it goes (reports and revisions even refer to each
  -- other), so the foreign keys among these tables are taken off first and put back once every table is placed.
  FOR fk IN
    SELECT conrelid::regclass AS tab, conname, pg_get_constraintdef(oid) AS def
    FROM pg_constraint
    WHERE contype = 'f' AND connamespace = 'public'::regnamespace
  LOOP
    saved := saved || format('ALTER TABLE %s ADD CONSTRAINT %I %s', fk.tab, fk.conname, fk.def);
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', fk.tab, fk.conname);
  END LOOP;

  FOREACH t IN ARRAY reference_tables LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_dist_partition WHERE logicalrelid = t::regclass) THEN
      PERFORM create_reference_table(t);
    END IF;
  END LOOP;
  IF NOT EXISTS (SELECT 1 FROM pg_dist_partition WHERE logicalrelid = 'reports'::regclass) THEN
    PERFORM create_distributed_table('reports', 'agency_id');
  END IF;
  FOREACH t IN ARRAY distributed_tables LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_dist_partition WHERE logicalrelid = t::regclass) THEN
      PERFORM create_distributed_table(t, 'agency_id', colocate_with => 'reports');
    END IF;
  END LOOP;
  FOREACH t IN ARRAY coordinator_tables LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_dist_partition WHERE logicalrelid = t::regclass) THEN
      PERFORM citus_add_local_table_to_metadata(t);
    END IF;
  END LOOP;

  FOREACH t IN ARRAY saved LOOP
    EXECUTE t;
  END LOOP;
END
$$;

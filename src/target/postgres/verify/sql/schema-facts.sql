-- What a schema holds, for comparing with a pipeline's expectations.yaml.
-- Takes: $1 = schema name. Tables are ordinary and partitioned ones; indexes exclude primary
-- keys; triggers are user triggers (not the internal ones behind foreign keys).
SELECT
  (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = $1 AND c.relkind IN ('r', 'p'))::int AS tables,
  (SELECT count(*) FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = $1 AND k.contype = 'f')::int AS foreign_keys,
  (SELECT coalesce(array_agg(t.typname::text ORDER BY t.typname), '{}') FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname = $1 AND t.typtype = 'e') AS enums,
  (SELECT coalesce(array_agg(ic.relname::text ORDER BY ic.relname), '{}') FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
    JOIN pg_namespace n ON n.oid = ic.relnamespace WHERE n.nspname = $1 AND NOT i.indisprimary) AS indexes,
  (SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = $1 AND NOT t.tgisinternal)::int AS triggers

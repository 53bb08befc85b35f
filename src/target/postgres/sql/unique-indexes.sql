-- Unique indexes (primary keys included) of the ordinary tables in the given schemas, by plain
-- columns only: expression and partial indexes are left out (their keys are not column values).
-- Takes: $1 = text[] of schema names.
SELECT n.nspname AS schema, c.relname AS table, ic.relname AS name,
       (SELECT array_agg(a.attname::text ORDER BY k.i) FROM unnest(i.indkey) WITH ORDINALITY k(n, i)
          JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n) AS columns
FROM pg_index i
JOIN pg_class c ON c.oid = i.indrelid AND c.relkind IN ('r', 'p')
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ANY($1) AND i.indisunique AND i.indpred IS NULL AND NOT (0 = ANY(i.indkey::int2[]))
ORDER BY n.nspname, c.relname, ic.relname

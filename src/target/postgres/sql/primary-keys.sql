-- Primary key columns (in key order) of the tables in the given schemas; tables without one
-- fall back to their first unique index without NULLable or expression columns.
-- Takes: $1 = text[] of schema names.
SELECT DISTINCT ON (n.nspname, c.relname)
       n.nspname AS schema, c.relname AS table,
       (SELECT array_agg(a.attname::text ORDER BY k.i) FROM unnest(i.indkey) WITH ORDINALITY k(n, i)
          JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n) AS columns
FROM pg_index i
JOIN pg_class c ON c.oid = i.indrelid AND c.relkind IN ('r', 'p')
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ANY($1) AND i.indisunique AND i.indpred IS NULL AND NOT (0 = ANY(i.indkey::int2[]))
  AND (i.indisprimary OR NOT EXISTS (SELECT 1 FROM unnest(i.indkey::int2[]) k(n)
         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n WHERE NOT a.attnotnull))
ORDER BY n.nspname, c.relname, i.indisprimary DESC, i.indexrelid

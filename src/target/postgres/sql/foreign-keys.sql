-- Foreign keys whose referencing table is in the given schemas (the referenced table may be
-- anywhere: cross-schema FKs order loads too). Takes: $1 = text[] of schema names.
SELECT con.conname AS name,
       sn.nspname AS schema, sc.relname AS table,
       tn.nspname AS ref_schema, tc.relname AS ref_table,
       (SELECT array_agg(a.attname::text ORDER BY k.i) FROM unnest(con.conkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n) AS columns,
       (SELECT array_agg(a.attname::text ORDER BY k.i) FROM unnest(con.confkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n) AS ref_columns,
       con.condeferrable AS deferrable, con.convalidated AS validated
FROM pg_constraint con
JOIN pg_class sc ON sc.oid = con.conrelid JOIN pg_namespace sn ON sn.oid = sc.relnamespace
JOIN pg_class tc ON tc.oid = con.confrelid JOIN pg_namespace tn ON tn.oid = tc.relnamespace
WHERE con.contype = 'f' AND sn.nspname = ANY($1)
ORDER BY sn.nspname, sc.relname, con.conname

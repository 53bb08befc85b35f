-- Single-column CHECK constraints of the ordinary tables in the given schemas, as text, for
-- label lists such as kind IN ('a', 'b') (Postgres prints them as kind = ANY (ARRAY[...])).
-- Takes: $1 = text[] of schema names.
SELECT n.nspname AS schema, c.relname AS table, a.attname AS column, k.conname AS name,
       pg_get_constraintdef(k.oid) AS definition
FROM pg_constraint k
JOIN pg_class c ON c.oid = k.conrelid AND c.relkind IN ('r', 'p')
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
WHERE k.contype = 'c' AND array_length(k.conkey, 1) = 1 AND n.nspname = ANY($1)
ORDER BY n.nspname, c.relname, a.attname, k.conname

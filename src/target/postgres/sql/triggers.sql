-- User (non-internal) triggers on tables in the given schemas, with their enabled state.
-- Takes: $1 = text[] of schema names.
SELECT n.nspname AS schema, c.relname AS table, t.tgname AS name, t.tgenabled AS enabled
FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE NOT t.tgisinternal AND n.nspname = ANY($1)
ORDER BY 1, 2, 3

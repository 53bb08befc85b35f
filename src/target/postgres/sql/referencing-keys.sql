-- Foreign keys between the given tables. $1: text[] of "schema.table" keys.
-- Returns child and parent as "schema.table" keys (unquoted), one row per constraint.
SELECT cn.nspname || '.' || c.relname AS child, pn.nspname || '.' || p.relname AS parent
  FROM pg_constraint k
  JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace cn ON cn.oid = c.relnamespace
  JOIN pg_class p ON p.oid = k.confrelid JOIN pg_namespace pn ON pn.oid = p.relnamespace
 WHERE k.contype = 'f'
   AND (cn.nspname || '.' || c.relname = ANY ($1) OR pn.nspname || '.' || p.relname = ANY ($1))

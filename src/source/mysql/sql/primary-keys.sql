-- Primary-key columns in key order. Takes: 1 = database name.
SELECT TABLE_NAME AS tableName, COLUMN_NAME AS name
FROM information_schema.KEY_COLUMN_USAGE
WHERE TABLE_SCHEMA = ? AND CONSTRAINT_NAME = 'PRIMARY'
ORDER BY TABLE_NAME, ORDINAL_POSITION

-- Columns of every base table in a database, in table order.
-- Takes: 1 = database name. CHECK_CONSTRAINTS tells MariaDB's JSON (LONGTEXT + json_valid) apart.
SELECT c.TABLE_NAME AS tableName, c.COLUMN_NAME AS name, c.COLUMN_TYPE AS columnType, c.DATA_TYPE AS dataType,
       c.IS_NULLABLE = 'YES' AS nullable, c.COLUMN_KEY AS columnKey, c.EXTRA AS extra,
       c.CHARACTER_MAXIMUM_LENGTH AS maxLength, c.COLUMN_DEFAULT AS columnDefault, c.COLLATION_NAME AS collation
FROM information_schema.COLUMNS c
JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME AND t.TABLE_TYPE = 'BASE TABLE'
WHERE c.TABLE_SCHEMA = ?
ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION

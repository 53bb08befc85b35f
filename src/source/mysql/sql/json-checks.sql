-- MariaDB stores JSON as LONGTEXT with a json_valid() CHECK named after the column.
-- Takes: 1 = database name. Empty on MySQL 8, where JSON is its own type.
SELECT TABLE_NAME AS tableName, CONSTRAINT_NAME AS name, CHECK_CLAUSE AS clause
FROM information_schema.CHECK_CONSTRAINTS
WHERE CONSTRAINT_SCHEMA = ? AND CHECK_CLAUSE LIKE 'json_valid(%'

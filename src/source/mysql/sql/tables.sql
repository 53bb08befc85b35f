-- Base tables of one database, with the server's row estimate (for progress and ETA only).
-- Takes: 1 = database name.
SELECT TABLE_NAME AS name, COALESCE(TABLE_ROWS, 0) AS estimatedRows, COALESCE(DATA_LENGTH, 0) AS dataBytes
FROM information_schema.TABLES
WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'
ORDER BY TABLE_NAME

-- How a foreign key matches NULLs ('s' simple, 'f' full, 'p' partial), and whether the session
-- may switch off row-level FK triggers (session_replication_role is superuser-only).
-- Takes: $1 = the referencing table (regclass text), $2 = the constraint name.
SELECT con.confmatchtype AS match, current_setting('is_superuser') = 'on' AS superuser
FROM pg_constraint con
WHERE con.conrelid = $1::regclass AND con.conname = $2

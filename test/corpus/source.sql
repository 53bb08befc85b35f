-- The corpus source: one small MySQL table per kind of bad value, exported once and shared by
-- every case (a case maps the tables it needs; the runner marks the others skip).
-- Loaded with sql_mode = 'ALLOW_INVALID_DATES' so zero and impossible dates can be stored,
-- as they are in old production databases.
CREATE TABLE parent (id CHAR(36) NOT NULL PRIMARY KEY, kind ENUM('a','b') NOT NULL, note TEXT);
INSERT INTO parent VALUES
  ('6f1c1b59-3c55-4c8f-9d1e-2a7b8c9d0e1f', 'a', 'first'),
  ('7a2d2c6a-4d66-4d90-8e2f-3b8c9d0e1f20', 'b', NULL);

CREATE TABLE child (id INT NOT NULL PRIMARY KEY, parent_id CHAR(36) NOT NULL, note VARCHAR(40));
INSERT INTO child VALUES
  (1, '6f1c1b59-3c55-4c8f-9d1e-2a7b8c9d0e1f', 'ok'),
  (2, '00000000-0000-4000-8000-00000000dead', 'orphan');

CREATE TABLE plain (id INT NOT NULL PRIMARY KEY, s TEXT);
INSERT INTO plain VALUES (1, 'one'), (2, ''), (3, NULL);

CREATE TABLE zero_dates (id INT NOT NULL PRIMARY KEY, at DATETIME);
INSERT INTO zero_dates VALUES (1, '2024-01-02 03:04:05'), (2, '0000-00-00 00:00:00');

CREATE TABLE bad_dates (id INT NOT NULL PRIMARY KEY, d DATE);
INSERT INTO bad_dates VALUES (1, '2024-02-28'), (2, '2024-02-30');

CREATE TABLE bad_json (id INT NOT NULL PRIMARY KEY, doc TEXT);
INSERT INTO bad_json VALUES (1, '{"a": 1}'), (2, '{"b": [1, 2'), (3, '{}');

CREATE TABLE bad_enum (id INT NOT NULL PRIMARY KEY, kind ENUM('a','b','c'));
INSERT INTO bad_enum VALUES (1, 'a'), (2, 'b'), (3, 'c');

CREATE TABLE bad_uuid (id INT NOT NULL PRIMARY KEY, u CHAR(36));
INSERT INTO bad_uuid VALUES (1, '6f1c1b59-3c55-4c8f-9d1e-2a7b8c9d0e1f'), (2, 'not-a-uuid');

CREATE TABLE bad_int (id INT NOT NULL PRIMARY KEY, n VARCHAR(10));
INSERT INTO bad_int VALUES (1, '12'), (2, '12x');

CREATE TABLE bad_bool (id INT NOT NULL PRIMARY KEY, flag TINYINT);
INSERT INTO bad_bool VALUES (1, 1), (2, 0), (3, 2);

CREATE TABLE nul_text (id INT NOT NULL PRIMARY KEY, s TEXT);
INSERT INTO nul_text VALUES (1, 'fine'), (2, 'a\0b');

CREATE TABLE dup_emails (id INT NOT NULL PRIMARY KEY, email VARCHAR(80));
INSERT INTO dup_emails VALUES (1, 'Ann@Example.org'), (2, 'bob@example.org'), (3, 'ann@example.org');

CREATE TABLE big_unsigned (id INT NOT NULL PRIMARY KEY, n BIGINT UNSIGNED);
INSERT INTO big_unsigned VALUES (1, 7), (2, 18446744073709551615);

CREATE TABLE wide_decimal (id INT NOT NULL PRIMARY KEY, amount DECIMAL(30,2));
INSERT INTO wide_decimal VALUES (1, 12.50), (2, 123456789012345678.00);

CREATE TABLE long_text (id INT NOT NULL PRIMARY KEY, s VARCHAR(100));
INSERT INTO long_text VALUES (1, 'short'), (2, 'far too long for five');

CREATE TABLE nullable (id INT NOT NULL PRIMARY KEY, s VARCHAR(20));
INSERT INTO nullable VALUES (1, 'x'), (2, NULL);

CREATE TABLE no_key (id INT, v VARCHAR(20));
INSERT INTO no_key VALUES (1, 'first'), (2, 'second'), (1, 'again');

CREATE TABLE negative (id INT NOT NULL PRIMARY KEY, qty INT);
INSERT INTO negative VALUES (1, 3), (2, -5);

-- 20 kB: bigger than the file-size limit the full-disk case sets.
CREATE TABLE bulk (id INT NOT NULL PRIMARY KEY, s TEXT);
INSERT INTO bulk (id, s) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200) SELECT i, REPEAT('x', 100) FROM n;

-- Columns of the ordinary tables in the given schemas, with what COPY must know:
-- generated columns cannot be loaded, identity/serial columns need their sequence moved; a
-- domain's base type decides how its values compare.
-- value_*: the type a value really is, for verify's canonical forms: domains resolved down to
-- their base type (through domains over domains, keeping the innermost declared typmod), then
-- for an array the same for its element type. Names are pg_type.typname (timestamptz, numeric,
-- bpchar, _int4), never format_type's display text.
-- Takes: $1 = text[] of schema names.
SELECT n.nspname AS schema, c.relname AS table, a.attname AS name, a.attnum AS position,
       format_type(a.atttypid, a.atttypmod) AS type, t.typtype AS typtype,
       CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END AS base_type,
       a.attnotnull AS not_null, a.atthasdef AS has_default,
       pg_get_expr(d.adbin, d.adrelid) AS default_expr,
       a.attgenerated <> '' AS generated, a.attidentity <> '' AS identity, a.attidentity = 'a' AS identity_always,
       pg_get_serial_sequence(quote_ident(n.nspname) || '.' || quote_ident(c.relname), a.attname) AS sequence,
       CASE WHEN t.typtype = 'e' THEN (SELECT array_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid) END AS enum_labels,
       CASE WHEN a.atttypmod > 4 AND t.typname IN ('varchar', 'bpchar') THEN a.atttypmod - 4 END AS max_length,
       vb.typname AS value_name, vb.typtype AS value_typtype, vb.typmod AS value_typmod,
       ve.typname AS value_elem_name, ve.typtype AS value_elem_typtype, ve.typmod AS value_elem_typmod
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid AND c.relkind IN ('r', 'p')
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
LEFT JOIN LATERAL (
  WITH RECURSIVE chain(oid, typmod, depth) AS (
    SELECT a.atttypid, a.atttypmod, 0
    UNION ALL
    SELECT ct.typbasetype, CASE WHEN chain.typmod <> -1 THEN chain.typmod ELSE ct.typtypmod END, chain.depth + 1
    FROM chain JOIN pg_type ct ON ct.oid = chain.oid
    WHERE ct.typtype = 'd' AND chain.depth < 32
  )
  SELECT bt.oid, bt.typname, bt.typtype, chain.typmod,
         CASE WHEN bt.typelem <> 0 AND bt.typlen = -1 THEN bt.typelem END AS elem
  FROM chain JOIN pg_type bt ON bt.oid = chain.oid
  ORDER BY chain.depth DESC LIMIT 1
) vb ON true
LEFT JOIN LATERAL (
  WITH RECURSIVE chain(oid, typmod, depth) AS (
    -- An array column's typmod is its element's (numeric(10,2)[]).
    SELECT vb.elem, vb.typmod, 0 WHERE vb.elem IS NOT NULL
    UNION ALL
    SELECT ct.typbasetype, CASE WHEN chain.typmod <> -1 THEN chain.typmod ELSE ct.typtypmod END, chain.depth + 1
    FROM chain JOIN pg_type ct ON ct.oid = chain.oid
    WHERE ct.typtype = 'd' AND chain.depth < 32
  )
  SELECT et.typname, et.typtype, chain.typmod
  FROM chain JOIN pg_type et ON et.oid = chain.oid
  ORDER BY chain.depth DESC LIMIT 1
) ve ON true
WHERE n.nspname = ANY($1) AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY n.nspname, c.relname, a.attnum

/**
 * Values that break naive exporters and loaders, planted in fixtures on purpose. Each one is
 * legal in MySQL and in Postgres, so a faithful migration must carry it over byte for byte.
 */
export const HARD_TEXTS: readonly string[] = [
  `O'Brien & "Sons" said: 'it''s fine'`,
  'Zoë Ångström — naïve café, Straße, Ærøskøbing',
  '東京都渋谷区 · 北京 · 서울 🚀🎉👩‍💻',
  'שלום עולם — مرحبا بالعالم (right to left)',
  'line one\nline two\r\nline three\twith a tab',
  'back\\slash, a literal \\N, and C:\\path\\to\\file',
  'NULL',
  '   leading and trailing spaces   ',
  'e\u0301 (combining accent) vs \u00e9 (precomposed)',
  'semi;colon, comma, "double", \'single\', `backtick`',
  'zero\u200bwidth space and a \u00a0no-break space',
  '$$ dollar quotes $$ and a % percent and a _ underscore',
  '\\x41 looks like bytea hex; "\\t" is not a tab',
  'trailing newline\n',
];

/** JSON documents as raw text: nesting, escapes, unicode keys, numbers JavaScript cannot hold. */
export const HARD_JSON_OBJECTS: readonly string[] = [
  '{"nested":{"deep":{"deeper":{"deepest":[1,2,{"x":null,"y":[[],{}]}]}}}}',
  '{"quote":"She said \\"hi\\"","newline":"a\\nb","tab":"c\\td","backslash":"C:\\\\dir","escaped":"\\u00e9\\u6771"}',
  '{"big":12345678901234567890,"small":1e-7,"negative":-42.5,"exp":6.02e23,"flag":true,"nothing":null}',
  '{"key with spaces":1,"ключ":"значение","emoji 🚀":"🎉","":"empty key"}',
  '{ "spaced" :  [ 1 , 2 , 3 ] ,   "z": {"b": 1, "a": 2} }',
  '{}',
];

/** Nullable JSON columns also get JSON's own null and scalars: not the same as SQL NULL. */
export const HARD_JSON_SCALARS: readonly string[] = ['null', '"just a string"', '0', '[]', 'false'];

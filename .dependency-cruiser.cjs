/**
 * The module boundaries the test suite holds (test/unit/module-boundaries.test.ts):
 * - no import cycle between folders of src/ (a stage never needs a later one to be built);
 * - the database drivers (mysql2 and its binlog client, pg, pg-copy-streams) only inside their engine folders,
 *   so every other folder talks to the databases through the engines' contracts.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-folder-cycles',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'mysql-driver-in-engine',
      comment: 'mysql2 and its binlog client are used only by the MySQL engine (src/source/mysql).',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/source/mysql/' },
      to: { path: '(^|/)node_modules/(mysql2|@vlasky/zongji)/' },
    },
    {
      name: 'postgres-driver-in-engine',
      comment: 'pg and pg-copy-streams are used only by the Postgres engine (src/target/postgres).',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/target/postgres/' },
      to: { path: '(^|/)node_modules/(pg|pg-copy-streams|@types/pg|@types/pg-copy-streams)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
};

import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatFindings, LintFinding, lintMigrationDir, lintPipeline, lintSql } from '../../src/schema/lint';
import { isConvergeError } from '../../src/core/errors';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'lint');

/** rule@line:column, the part of a finding the tests pin down exactly. */
function where(findings: LintFinding[]): string[] {
  return findings.map((f) => `${f.rule}@${f.line}:${f.column}`);
}

async function lintFixture(name: string): Promise<LintFinding[]> {
  const file = path.join(FIXTURES, 'bad', name);
  return lintSql(await fsp.readFile(file, 'utf8'), file);
}

describe('the good fixture', () => {
  it('is valid Postgres with no findings (enum, $body$ trigger function, DO block, nested comment)', async () => {
    expect(await lintMigrationDir(path.join(FIXTURES, 'good'))).toEqual([]);
  });
});

describe('one broken copy per other-dialect construct', () => {
  it.each([
    ['0001_autoincrement.sql', 'mysql-autoincrement', 2, 14],
    ['0002_backtick.sql', 'mysql-backtick', 3, 14],
    ['0003_engine.sql', 'mysql-engine', 4, 3],
    ['0004_unsigned.sql', 'mysql-unsigned', 4, 20],
    ['0005_tinyint1.sql', 'mysql-type', 4, 11],
    ['0006_on-update.sql', 'mysql-on-update', 4, 59],
    ['0007_datetime.sql', 'mysql-type', 3, 13],
  ])('%s: %s at line %d', async (name, rule, line, column) => {
    const findings = await lintFixture(name);
    expect(where(findings)).toEqual([`${rule}@${line}:${column}`]);
    expect(findings[0].file).toBe(path.join(FIXTURES, 'bad', name));
  });

  it('names the Postgres type to use instead', async () => {
    expect((await lintFixture('0005_tinyint1.sql'))[0].message).toMatch(/tinyint .*use boolean$/);
    expect((await lintFixture('0007_datetime.sql'))[0].message).toMatch(/datetime .*use timestamp$/);
  });

  it('keeps the parser message and adds the hint', async () => {
    expect((await lintFixture('0003_engine.sql'))[0].message).toBe(
      'syntax error at or near "ENGINE": ENGINE= is a MySQL table option: remove it',
    );
  });

  it('reports all three problems of one file, on their own lines, after a syntax error', async () => {
    expect(where(await lintFixture('0008_three-problems.sql'))).toEqual([
      'mysql-autoincrement@3:14',
      'mysql-type@7:49',
      'syntax@9:52',
    ]);
  });

  it('lints a whole folder in version order', async () => {
    const findings = await lintMigrationDir(path.join(FIXTURES, 'bad'));
    expect(findings.map((f) => path.basename(f.file)).filter((n, i, all) => all.indexOf(n) === i)).toEqual([
      '0001_autoincrement.sql',
      '0002_backtick.sql',
      '0003_engine.sql',
      '0004_unsigned.sql',
      '0005_tinyint1.sql',
      '0006_on-update.sql',
      '0007_datetime.sql',
      '0008_three-problems.sql',
      '0009_converge-schema.sql',
    ]);
    expect(findings).toHaveLength(12);
  });
});

describe('one owner per schema', () => {
  it("refuses application DDL or writes in converge's own schema, with the line", async () => {
    expect(where(await lintFixture('0009_converge-schema.sql'))).toEqual([
      'foreign-schema@3:13',
      'foreign-schema@4:13',
    ]);
  });
});

describe('lintSql', () => {
  it('finds every problem of one MySQL CREATE TABLE by blanking each construct and parsing on', async () => {
    const sql = [
      'CREATE TABLE item (',
      '  id int(11) unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY,',
      '  created datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),',
      '  body longtext',
      ') ENGINE=InnoDB AUTO_INCREMENT=7 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;',
      'CREATE TABLE after_it (n mediumblob);',
    ].join('\n');
    expect(where(await lintSql(sql, 'item.sql'))).toEqual([
      'mysql-int-width@2:9',
      'mysql-unsigned@2:14',
      'mysql-autoincrement@2:32',
      'mysql-type@3:11',
      'mysql-on-update@3:61',
      'mysql-type@4:8',
      'mysql-engine@5:3',
      'mysql-autoincrement@5:17',
      'mysql-charset@5:34',
      'mysql-collate@5:58',
      'mysql-type@6:26',
    ]);
  });

  it('turns UNIQUE KEY name (…) into UNIQUE (…) and goes on; a plain KEY parses as a column', async () => {
    const sql = [
      'CREATE TABLE t (',
      '  a text,',
      '  UNIQUE KEY t_a_idx (a),',
      '  KEY t_b (a),',
      '  b datetime',
      ');',
    ].join('\n');
    expect(where(await lintSql(sql, 't.sql'))).toEqual([
      'mysql-inline-index@3:10',
      'mysql-inline-index@4:3',
      'mysql-type@5:5',
    ]);
  });

  it('carries datetime(6) precision over to timestamp(6)', async () => {
    const [f] = await lintSql('CREATE TABLE t (at datetime(6));', 't.sql');
    expect(f.message).toMatch(/use timestamp\(6\)$/);
  });

  it('recognises SQLite AUTOINCREMENT too', async () => {
    expect(where(await lintSql('CREATE TABLE t (id integer PRIMARY KEY AUTOINCREMENT);', 't.sql'))).toEqual([
      'mysql-autoincrement@1:40',
    ]);
  });

  it('finds MySQL types in casts and function signatures, not only in columns', async () => {
    const sql =
      "SELECT '2020-01-01'::datetime;\nCREATE FUNCTION f(a tinyint) RETURNS longtext LANGUAGE sql AS $$ SELECT 'x' $$;";
    expect(where(await lintSql(sql, 'f.sql'))).toEqual(['mysql-type@1:22', 'mysql-type@2:21', 'mysql-type@2:38']);
  });

  it('does not flag a type the file creates itself', async () => {
    expect(await lintSql('CREATE DOMAIN datetime AS timestamp;\nCREATE TABLE t (at datetime);', 't.sql')).toEqual([]);
  });

  it('flags MySQL session settings and collations that only fail at execution', async () => {
    const sql = 'SET FOREIGN_KEY_CHECKS = 0;\n  CREATE TABLE t (n text COLLATE "utf8mb4_bin");';
    expect(where(await lintSql(sql, 't.sql'))).toEqual(['mysql-set@1:1', 'mysql-collate@2:26']);
  });

  it('counts columns in characters after non-ASCII text (the parser counts bytes and characters)', async () => {
    const sql = '-- café 😀\nCREATE TABLE t (a text); /* é */ CREATE TABLE u (b datetime) ENGINE=InnoDB;';
    expect(where(await lintSql(sql, 't.sql'))).toEqual(['mysql-type@2:52', 'mysql-engine@2:62']);
  });

  it('does not split a statement at the ; of a BEGIN ATOMIC body', async () => {
    const sql = [
      'CREATE TABLE a (x tinytext);',
      'CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT `x` FROM a; END;',
      'CREATE TABLE t (a double) ENGINE=InnoDB;',
    ].join('\n');
    const findings = await lintSql(sql, 't.sql');
    expect(where(findings)).toEqual(['mysql-type@1:19', 'mysql-backtick@2:76', 'mysql-type@3:19', 'mysql-engine@3:27']);
    // Postgres lexes ` as an operator character, so the parser itself stops later, at FROM.
    expect(findings[1].message).toMatch(
      /^backtick-quoted .*\(the parser stopped at 2:80: syntax error at or near "FROM"\)$/,
    );
  });

  it('reports an unterminated string once, on one line, and stops there', async () => {
    const findings = await lintSql("CREATE TABLE t (a int);\nSELECT 'open;\nCREATE TABLE u (b longtext);", 't.sql');
    expect(where(findings)).toEqual(['syntax@2:8']);
    expect(findings[0].message).not.toContain('\n');
  });

  it('says nothing about a file of comments only', async () => {
    expect(await lintSql('-- nothing yet\n/* later */\n', 'empty.sql')).toEqual([]);
  });
});

describe('lintPipeline', () => {
  let root: string;
  beforeAll(async () => {
    root = await fsp.mkdtemp(path.join(os.tmpdir(), 'converge-lint-'));
    await fsp.mkdir(path.join(root, 'shop', 'postgres'), { recursive: true });
    await fsp.mkdir(path.join(root, 'shop', 'mysql'), { recursive: true });
    await fsp.copyFile(path.join(FIXTURES, 'good', '0001_ok.sql'), path.join(root, 'shop', 'postgres', '0001_ok.sql'));
    await fsp.copyFile(
      path.join(FIXTURES, 'bad', '0007_datetime.sql'),
      path.join(root, 'shop', 'postgres', '0002_datetime.sql'),
    );
    // MySQL migrations of the same pipeline are not Postgres and are not linted.
    await fsp.copyFile(
      path.join(FIXTURES, 'bad', '0003_engine.sql'),
      path.join(root, 'shop', 'mysql', '0001_engine.sql'),
    );
  });
  afterAll(async () => {
    await fsp.rm(root, { recursive: true, force: true });
  });

  it('lints only <root>/<pipeline>/postgres', async () => {
    const result = await lintPipeline(root, 'shop');
    expect(result.files.map((f) => path.basename(f))).toEqual(['0001_ok.sql', '0002_datetime.sql']);
    expect(result.findings.map((f) => `${path.basename(f.file)} ${f.rule}@${f.line}`)).toEqual([
      '0002_datetime.sql mysql-type@3',
    ]);
  });

  it('names the known pipelines when asked for an unknown one', async () => {
    const err = await lintPipeline(root, 'nope').catch((e: unknown) => e);
    expect(isConvergeError(err) && err.code).toBe('PIPELINE_UNKNOWN');
    expect((err as Error).message).toContain('known: shop');
  });

  it('refuses a pipeline name that is a path', async () => {
    const err = await lintPipeline(root, '../shop').catch((e: unknown) => e);
    expect(isConvergeError(err) && err.code).toBe('USAGE');
  });
});

describe('formatFindings', () => {
  it('prints file:line:column rule message, one line each', () => {
    const text = formatFindings([
      { file: 'a.sql', line: 3, column: 14, rule: 'mysql-engine', message: 'remove it' },
      { file: 'b.sql', line: 1, column: 1, rule: 'syntax', message: 'syntax error at or near "x"' },
    ]);
    expect(text).toBe('a.sql:3:14 mysql-engine remove it\nb.sql:1:1 syntax syntax error at or near "x"');
  });
});

import { chunkFile, decideResume, plannedTable, summarise } from '../../src/export/export-plan';
import { ManifestColumn, ManifestTable, tableFileDigests, tableFiles } from '../../src/manifest';
import { rangesFromBounds, rangeWhere, rowsPerChunk } from '../../src/source/mysql/key-ranges';

const COLS: ManifestColumn[] = [
  { name: 'id', sourceType: 'int(11)', dataType: 'int', nullable: false, encoding: 'text' },
];
const range = (after?: string, upTo?: string) => ({
  key: ['id'],
  ...(after ? { after: [after] } : {}),
  ...(upTo ? { upTo: [upTo] } : {}),
});

function completeTable(): ManifestTable {
  const t = plannedTable('t', COLS, rangesFromBounds(['id'], [['10'], ['20']]));
  t.chunks = t.chunks!.map((c, i) => ({ ...c, status: 'complete', rows: 10, bytes: 100 + i, sha256: `sha${i}` }));
  return summarise(t);
}

test('chunk files: table.csv when whole, table.00001.csv … when split', () => {
  expect(chunkFile('users', 0, 1)).toBe('users.csv');
  expect(chunkFile('users', 0, 3)).toBe('users.00001.csv');
  expect(chunkFile('users', 11, 12)).toBe('users.00012.csv');
});

test('rangesFromBounds: consecutive ranges, open at both ends', () => {
  expect(rangesFromBounds(['id'], [['10'], ['20']])).toEqual([range(undefined, '10'), range('10', '20'), range('20')]);
  expect(rangesFromBounds(['id'], [])).toEqual([]);
});

test('rangeWhere: single and composite keys, binary key values bound as bytes', () => {
  expect(rangeWhere(range('10', '20'))).toEqual({ sql: '`id` > ? AND `id` <= ?', params: ['10', '20'] });
  expect(rangeWhere({ key: ['a', 'b'], after: ['1', 'x'] })).toEqual({
    sql: '(`a` > ? OR (`a` = ? AND `b` > ?))',
    params: ['1', '1', 'x'],
  });
  expect(rangeWhere({ key: ['a', 'b', 'c'], upTo: ['1', '2', '3'] })!.sql).toBe(
    '(`a` < ? OR (`a` = ? AND (`b` < ? OR (`b` = ? AND `c` <= ?))))',
  );
  expect(rangeWhere({ key: ['k'], after: ['\\x00ff'] }, new Set(['k']))!.params).toEqual([Buffer.from([0, 255])]);
  expect(rangeWhere({ key: ['id'] })).toBeUndefined();
});

test('rowsPerChunk: the smaller of the row budget and the byte budget', () => {
  expect(rowsPerChunk({ estimatedRows: 1000, dataBytes: 1000 * 100 }, { chunkRows: 500, chunkBytes: 1 << 30 })).toBe(
    500,
  );
  expect(
    rowsPerChunk({ estimatedRows: 1000, dataBytes: 1000 * (1 << 20) }, { chunkRows: 500, chunkBytes: 256 << 20 }),
  ).toBe(256);
  expect(rowsPerChunk({ estimatedRows: 0, dataBytes: 0 }, { chunkRows: 500, chunkBytes: 1 })).toBe(500);
});

test('a table is complete, with totals and a digest of its chunk digests, only when every chunk is', () => {
  const t = completeTable();
  expect(t).toMatchObject({ status: 'complete', rows: 30, bytes: 303, file: 't.00001.csv' });
  expect(t.sha256).toMatch(/^[0-9a-f]{64}$/);
  expect(tableFiles(t)).toEqual(['t.00001.csv', 't.00002.csv', 't.00003.csv']);
  t.chunks![1] = { file: t.chunks![1].file, range: t.chunks![1].range, status: 'pending' };
  expect(summarise(t)).toMatchObject({ status: 'partial', rows: 20, sha256: '' });
  expect(tableFiles({ file: 'old.csv' })).toEqual(['old.csv']);
});

test('resume keeps matching tables, redoes broken chunks, restarts tables whose columns changed', async () => {
  const prev = completeTable();
  const all = await decideResume(prev, COLS, async () => true);
  expect(all.kind).toBe('keep');
  const some = await decideResume(prev, COLS, async (f) => f !== 't.00002.csv');
  expect(some).toMatchObject({ kind: 'continue', redo: [1], stale: ['t.00002.csv'] });
  if (some.kind === 'continue')
    expect(some.entry.chunks![1]).toEqual({ file: 't.00002.csv', range: range('10', '20'), status: 'pending' });
  const changed = await decideResume(prev, [{ ...COLS[0], sourceType: 'bigint(20)' }], async () => true);
  expect(changed).toEqual({ kind: 'fresh', stale: ['t.00001.csv', 't.00002.csv', 't.00003.csv'] });
  expect(await decideResume(undefined, COLS, async () => true)).toEqual({ kind: 'fresh', stale: [] });
});

test('resume reads a manifest from before chunks (file and sha256 only)', async () => {
  const legacy: ManifestTable = {
    name: 't',
    file: 't.csv',
    columns: COLS,
    rows: 5,
    bytes: 50,
    sha256: 'abc',
    seconds: 1,
    status: 'complete',
  };
  const checked: string[] = [];
  const d = await decideResume(legacy, COLS, async (f, sha) => (checked.push(`${f}:${sha}`), true));
  expect(checked).toEqual(['t.csv:abc']);
  expect(d.kind).toBe('keep');
  if (d.kind === 'keep')
    expect(d.entry).toMatchObject({ files: ['t.csv'], rows: 5, sha256: 'abc', status: 'complete' });
});

test('tableFileDigests: per chunk for chunked tables, the table digest for a single file', () => {
  const t = completeTable();
  expect(tableFileDigests(t)).toEqual([
    { file: 't.00001.csv', sha256: 'sha0', rows: 10 },
    { file: 't.00002.csv', sha256: 'sha1', rows: 10 },
    { file: 't.00003.csv', sha256: 'sha2', rows: 10 },
  ]);
  expect(tableFileDigests({ file: 'a.csv', sha256: 'x', rows: 3 })).toEqual([{ file: 'a.csv', sha256: 'x', rows: 3 }]);
});

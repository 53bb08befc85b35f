import path from 'node:path';
import { promises as fsp } from 'node:fs';
import { ExitCode } from '../../../src/core/exit-codes';
import type { CaseContext, CorpusCase } from '../../helpers/corpus-case';
import { resealManifest } from '../../helpers/corpus-world';

/**
 * Exported files broken after export (a disk error, a hand edit, a copy cut short). Unless the
 * case is about the checksum, the manifest is resealed so the file's own flaw is what is caught.
 * The shared export's plain.csv is `id,s` / `1,one` / `2,""` / `3,` (lines 1-4).
 */
const MAPPING = 'tables:\n  plain: { columns: { id: integer, s: text } }\n';
const plainCsv = (c: CaseContext) => path.join(c.exportDir, 'plain.csv');

async function rewrite(c: CaseContext, body: Buffer | string, reseal = true): Promise<void> {
  await fsp.writeFile(plainCsv(c), body);
  if (reseal) await resealManifest(c.exportDir);
}

async function noTransformedFile(c: CaseContext): Promise<void> {
  await expect(fsp.stat(path.join(c.transformDir, 'plain.csv'))).rejects.toMatchObject({ code: 'ENOENT' });
}

const csvCase = (name: string, tamper: (c: CaseContext) => Promise<void>, code: CorpusCase['expect']['code'], where: (c: CaseContext) => string[], message?: RegExp): CorpusCase => ({
  name,
  stage: 'csv',
  from: 'export',
  mapping: MAPPING,
  tamper,
  run: 'transform',
  expect: { exit: code === 'IO_FAILED' ? ExitCode.Io : code === 'MANIFEST_INVALID' ? ExitCode.BadConfig : ExitCode.BadData, code, where, message },
  after: { incomplete: ['transform'], check: noTransformedFile },
  migrate: { notApplicable: 'an exported file or manifest changed before transform: migrate writes and reads neither' },
});

export const csvCases: CorpusCase[] = [
  csvCase('a record with a wrong column count', (c) => rewrite(c, 'id,s\n1,one\n2,"",extra\n3,\n'), 'CSV_INVALID', (c) => [plainCsv(c), 'CSV line 3'], /3 fields, the header has 2/),
  csvCase('a file cut short inside a quoted field', (c) => rewrite(c, 'id,s\n1,one\n2,"tru'), 'CSV_INVALID', (c) => [plainCsv(c), 'CSV line 3'], /truncated/),
  csvCase('a file cut short at the end of a field', (c) => rewrite(c, 'id,s\n1,one\n2,tw'), 'CSV_INVALID', (c) => [plainCsv(c), 'CSV line 3'], /truncated/),
  csvCase('a file whose sha256 does not match the manifest', (c) => rewrite(c, 'id,s\n1,uno\n2,""\n3,\n', false), 'CSV_CHECKSUM', (c) => [plainCsv(c)], /sha256/),
  csvCase('a file longer than the manifest says (appended row)', (c) => fsp.appendFile(plainCsv(c), '4,late\n'), 'CSV_CHECKSUM', (c) => [plainCsv(c)], /sha256/),
  csvCase('invalid UTF-8', (c) => rewrite(c, Buffer.concat([Buffer.from('id,s\n1,one\n2,caf'), Buffer.from([0xc3, 0x28]), Buffer.from('\n3,\n')])), 'CSV_INVALID', (c) => [plainCsv(c), 'CSV line 3'], /not valid UTF-8/),
  csvCase('a NUL byte in a text field', (c) => rewrite(c, 'id,s\n1,one\n2,"a\u0000b"\n3,\n'), 'VALUE_INVALID', () => ['table plain', 'CSV line 3', 'column s'], /NUL/),
  csvCase('a header that does not match the manifest', (c) => rewrite(c, 'id,t\n1,one\n2,""\n3,\n'), 'CSV_INVALID', (c) => [plainCsv(c), 'CSV line 1'], /header does not match/),
  csvCase('a bare carriage return outside quotes', (c) => rewrite(c, 'id,s\n1,one\n2,a\rb\n3,\n'), 'CSV_INVALID', (c) => [plainCsv(c), 'CSV line 3'], /carriage return/),
  csvCase('a quote inside an unquoted field', (c) => rewrite(c, 'id,s\n1,one\n2,a"b\n3,\n'), 'CSV_INVALID', (c) => [plainCsv(c), 'CSV line 3'], /quote inside an unquoted field/),
  csvCase('an export manifest whose row count was edited (files intact)', async (c) => {
    const file = path.join(c.exportDir, 'manifest.json');
    const m = JSON.parse(await fsp.readFile(file, 'utf8'));
    m.tables.plain.rows += 1;
    for (const ch of m.tables.plain.chunks ?? []) ch.rows += 1;
    await fsp.writeFile(file, JSON.stringify(m));
  }, 'MANIFEST_INVALID', () => ['table plain'], /hold 3 rows, but the export manifest lists 4/),
  csvCase('an exported file that is missing', (c) => fsp.rm(plainCsv(c)), 'IO_FAILED', (c) => [plainCsv(c)]),
  csvCase('an export manifest from a run that did not complete', async (c) => {
    const file = path.join(c.exportDir, 'manifest.json');
    const m = JSON.parse(await fsp.readFile(file, 'utf8'));
    delete m.completedAt;
    await fsp.writeFile(file, JSON.stringify(m));
  }, 'MANIFEST_INVALID', (c) => [path.join(c.exportDir, 'manifest.json')], /did not complete/),
  csvCase('an export manifest that is not JSON', (c) => fsp.writeFile(path.join(c.exportDir, 'manifest.json'), '{"format": "converge-export/1", '), 'MANIFEST_INVALID', (c) => [path.join(c.exportDir, 'manifest.json')], /not valid JSON/),
  csvCase('no export at all', (c) => fsp.rm(c.exportDir, { recursive: true }), 'MANIFEST_INVALID', (c) => [path.join(c.exportDir, 'manifest.json')], /run the previous stage first/),
];

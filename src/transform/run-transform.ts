import path from 'node:path';
import { promises as fsp } from 'node:fs';
import type { Logger } from 'pino';
import { ConnectionInfo } from '../core/connection-url';
import { ConvergeError } from '../core/errors';
import { ensurePrivateDir } from '../core/private-files';
import { CsvFileWriter } from '../csv/csv-file-writer';
import { Manifest, readManifest, tableFileDigests, writeManifest } from '../manifest';
import { loadMapping, Mapping, TableRule } from '../mapping/load-mapping';
import type { RunRecorder } from '../run/run-recorder';
import { openPg, PgSession } from '../target/postgres/connect';
import { compileTable } from './compile-table';
import { buildLookups, pairsFromExport } from './lookups';
import { existingKeys } from '../target/postgres/lookups';
import { transformTableFiles } from './transform-table';

export interface TransformOptions {
  exportDir: string;
  outDir: string;
  mappingDir: string;
  /** Needed for lookups and existing-row policies; optional otherwise. */
  target?: ConnectionInfo;
  targetSchema?: string;
  log: Logger;
  recorder?: RunRecorder;
  /** 'strings' forces the decoded path everywhere (for comparing the two); default: bytes where a table allows. */
  engine?: 'auto' | 'strings';
}

export interface TransformResult {
  manifest: Manifest;
  tables: Array<{ table: string; target: string; rowsIn: number; rowsOut: number; seconds: number; changes: number }>;
}

/** Rewrites every exported CSV per the mapping into load-ready CSVs and a new manifest. */
export async function runTransform(opts: TransformOptions): Promise<TransformResult> {
  const input = await readManifest(opts.exportDir, 'converge-export/1');
  const mapping = await loadMapping(opts.mappingDir);
  checkCoverage(mapping, input, opts.mappingDir);
  await ensurePrivateDir(opts.outDir);
  const schema = opts.targetSchema ?? 'public';
  const needsTarget =
    mapping.lookups.size > 0 || [...mapping.tables.values()].some((t) => t.existing && t.existing.policy !== 'replace');
  let client: PgSession | undefined;
  if (needsTarget) {
    if (!opts.target)
      throw new ConvergeError(
        'USAGE',
        'this mapping has lookups or existing-row policies: pass --target so transform can read the target',
        { stage: 'transform' },
      );
    client = await openPg(opts.target);
  }
  const manifest: Manifest = {
    ...input,
    format: 'converge-transform/1',
    createdAt: new Date().toISOString(),
    completedAt: undefined,
    targetSchema: schema,
    tables: {},
  };
  const results: TransformResult['tables'] = [];
  try {
    const lookups = await buildLookups(mapping, pairsFromExport(opts.exportDir, input), client, schema);
    await opts.recorder?.event({
      kind: 'stage.started',
      stage: 'transform',
      payload: { tables: Object.keys(input.tables).length },
    });
    for (const [name, t] of Object.entries(input.tables).sort(([a], [b]) => a.localeCompare(b))) {
      const rule = mapping.tables.get(name)!;
      if (rule.skip) continue;
      const started = Date.now();
      const inFile = path.join(opts.exportDir, t.file);
      const compiled = compileTable(rule, t.columns, { timezone: mapping.timezone, lookups, origin: inFile });
      const existing =
        rule.existing && rule.existing.policy !== 'replace' && client
          ? await existingKeys(client, schema, rule.target, rule.existing.key)
          : undefined;
      const outName = `${rule.target}.csv`;
      if (manifest.tables[rule.target])
        throw new ConvergeError('MAPPING_INVALID', `two source tables map to target table ${rule.target}`, {
          ...rule.at,
        });
      const writer = new CsvFileWriter(path.join(opts.outDir, outName), compiled.targetColumns);
      // Every file is checked against the sha256 the export recorded for it: an edited, cut or
      // appended file is refused (CSV_CHECKSUM) instead of transformed.
      const files = tableFileDigests(t).map((d) => ({
        file: path.join(opts.exportDir, d.file),
        sha256: d.sha256 || undefined,
      }));
      let rowsIn = 0;
      let engine: 'bytes' | 'strings';
      try {
        ({ rowsIn, engine } = await transformTableFiles({
          compiled,
          rule,
          timezone: mapping.timezone,
          files,
          header: t.columns.map((c) => c.name),
          writer,
          existing,
          origin: inFile,
          engine: opts.engine,
        }));
      } catch (e) {
        writer.destroy();
        await fsp.rm(writer.file, { force: true });
        throw e;
      }
      const w = await writer.close();
      const seconds = (Date.now() - started) / 1000;
      const droppedRows = rowsIn - w.rows;
      manifest.tables[rule.target] = {
        name: rule.target,
        sourceTable: name,
        file: outName,
        columns: compiled.targetColumns.map((c) => ({ name: c, encoding: 'text' })),
        rows: w.rows,
        rowsIn,
        bytes: w.bytes,
        sha256: w.sha256,
        seconds,
        status: 'complete',
        changes: compiled.ledger.counts,
        droppedRows: droppedRows ? { total: droppedRows } : undefined,
        existing: rule.existing,
      };
      await writeManifest(opts.outDir, manifest);
      results.push({
        table: name,
        target: rule.target,
        rowsIn,
        rowsOut: w.rows,
        seconds,
        changes: compiled.ledger.total(),
      });
      opts.log.info(
        { table: name, target: rule.target, rowsIn, rowsOut: w.rows, seconds, engine, changes: compiled.ledger.counts },
        'table transformed',
      );
      await opts.recorder?.event({
        kind: 'table.transformed',
        stage: 'transform',
        table: rule.target,
        payload: { sourceTable: name, rowsIn, rowsOut: w.rows, seconds, changes: compiled.ledger.counts },
      });
    }
  } finally {
    // Closing after use or after a failure: a close error would only hide the real outcome.
    await client?.end().catch(() => undefined);
  }
  manifest.completedAt = new Date().toISOString();
  await writeManifest(opts.outDir, manifest);
  return { manifest, tables: results };
}

/** Every exported table needs a rule, and every rule a table: drift fails before any row moves. */
function checkCoverage(mapping: Mapping, input: Manifest, dir: string): void {
  const unmapped = Object.keys(input.tables).filter((t) => !mapping.tables.has(t));
  if (unmapped.length) {
    throw new ConvergeError(
      'MAPPING_UNKNOWN_TABLE',
      `exported tables with no mapping: ${unmapped.join(', ')} (add them to the mapping, or mark them skip)`,
      { file: dir, table: unmapped[0], stage: 'transform' },
    );
  }
  const excluded = new Set(input.excluded ?? []);
  for (const [name, rule] of mapping.tables) {
    if (!input.tables[name] && !excluded.has(name) && !rule.skip) {
      throw new ConvergeError('MAPPING_UNKNOWN_TABLE', `mapping names table ${name}, which the source does not have`, {
        ...rule.at,
        table: name,
        stage: 'transform',
      });
    }
  }
}

export type { TableRule };

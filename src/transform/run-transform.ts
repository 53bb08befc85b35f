import path from 'node:path';
import { promises as fsp } from 'node:fs';
import type { Logger } from 'pino';
import { ConnectionInfo } from '../core/connection-url';
import { ConvergeError } from '../core/errors';
import { ensurePrivateDir } from '../core/private-files';
import { CsvFileWriter } from '../csv/csv-file-writer';
import { Manifest, readManifest, tableFileDigests, writeManifest } from '../manifest';
import { loadMapping, TableRule } from '../mapping/load-mapping';
import type { RunRecorder } from '../run/run-recorder';
import { openPg, PgSession } from '../target/postgres/connect';
import { checkCoverage, compilePrograms, programFile, transformedEntry } from './table-program';
import { buildLookups, pairsFromExport, readExisting } from './lookups';
import { transformTableFiles } from './transform-table';
import { requireStaticMapCheck } from '../mapping/check/static-map-check';
import { exportedCatalog } from '../mapping/check/exported-catalog';

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
  checkCoverage(mapping, Object.keys(input.tables), new Set(input.excluded ?? []), opts.mappingDir);
  await ensurePrivateDir(opts.outDir);
  const schema = opts.targetSchema ?? 'public';
  const needsTarget =
    mapping.lookups.size > 0 || [...mapping.tables.values()].some((t) => t.existing && t.existing.policy !== 'replace');
  let client: PgSession | undefined;
  if (needsTarget || opts.target) {
    if (!opts.target)
      throw new ConvergeError(
        'USAGE',
        'this mapping has lookups or existing-row policies: pass --target so transform can read the target',
        { stage: 'transform' },
      );
    client = await openPg(opts.target);
  }
  try {
    // Before any row, as migrate does: what no data can make right (a NOT NULL column nothing
    // feeds, a value the mapping declares that its column cannot hold), from the columns the
    // export recorded and the target's catalog.
    if (client)
      await requireStaticMapCheck({
        pg: client,
        mapping,
        targetSchema: schema,
        source: exportedCatalog(Object.values(input.tables)),
        excluded: input.excluded,
        stage: 'transform',
        certainOnly: true,
      });
  } catch (e) {
    await client?.end().catch(() => undefined);
    throw e;
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
    const programs = compilePrograms(mapping, Object.values(input.tables), {
      name: (t) => t.name,
      columns: (t) => t.columns,
      origin: (t) => path.join(opts.exportDir, t.file),
      excluded: new Set(input.excluded ?? []),
      lookups,
      defaultSchema: schema,
      unmappedAt: opts.mappingDir,
    });
    if (client) await readExisting(client, programs);
    for (const p of programs) {
      const { source: t, sourceName: name, rule, compiled, existing } = p;
      const started = Date.now();
      const inFile = path.join(opts.exportDir, t.file);
      const outName = programFile(p);
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
        // The export's sha256 vouches for the bytes, not for the manifest's row count beside it.
        if (rowsIn !== t.rows)
          throw new ConvergeError(
            'MANIFEST_INVALID',
            `the export files of ${name} hold ${rowsIn} rows, but the export manifest lists ${t.rows}: the manifest does not describe these files (edited by hand?); re-run the export`,
            { stage: 'transform', table: name, file: inFile },
          );
      } catch (e) {
        await writer.destroy();
        await fsp.rm(writer.file, { force: true });
        throw e;
      }
      const w = await writer.close();
      const seconds = (Date.now() - started) / 1000;
      manifest.tables[rule.target] = transformedEntry(p, { ...w, rowsIn, seconds });
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

export type { TableRule };

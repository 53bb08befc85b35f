import path from 'node:path';
import { ConvergeError } from '../core/errors';
import { readCsvByteRecords } from '../csv/csv-byte-records';
import { Manifest, tableFileDigests } from '../manifest';

/**
 * Every check a file can get before the first row moves: its sha256 against the manifest, its
 * header, the field count of every record, UTF-8, and its record count against the rows the
 * manifest lists for it. A hand-edited manifest or a resealed file is refused here, with the
 * file and line, instead of after other tables were committed. One byte scan per file, no
 * values decoded.
 */
export async function checkManifestFiles(manifest: Manifest, dir: string): Promise<void> {
  for (const t of Object.values(manifest.tables)) {
    const header = t.columns.map((c) => c.name);
    let total = 0;
    // A table in several files without per-chunk digests (an older manifest shape) has one
    // digest for all its files: each file still gets every other check, and the rows add up.
    const digests =
      !t.chunks?.length && (t.files?.length ?? 0) > 1
        ? t.files!.map((f) => ({ file: f, sha256: '', rows: 0 }))
        : tableFileDigests(t);
    for (const d of digests) {
      const file = path.join(dir, d.file);
      let records: number;
      try {
        ({ records } = await readCsvByteRecords(
          { file, expectHeader: header, expectSha256: d.sha256 || undefined },
          () => undefined,
          async () => undefined,
        ));
      } catch (e) {
        throw e instanceof ConvergeError ? e.withContext({ stage: 'import', table: t.name, file }) : e;
      }
      if (t.chunks?.length && records !== d.rows)
        throw mismatch(`${file} holds ${records} rows, but the manifest lists ${d.rows} for it`, t.name, file);
      total += records;
    }
    if (total !== t.rows)
      throw mismatch(
        `the files of ${t.name} hold ${total} rows, but the manifest lists ${t.rows}`,
        t.name,
        path.join(dir, t.file),
      );
  }
}

function mismatch(what: string, table: string, file: string): ConvergeError {
  return new ConvergeError(
    'MANIFEST_INVALID',
    `${what}: the manifest does not describe these files (edited by hand?); re-run the stage that wrote them`,
    { stage: 'import', table, file },
  );
}

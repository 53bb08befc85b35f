import path from 'node:path';
import { promises as fsp } from 'node:fs';
import { ExitCode } from '../../../src/core/exit-codes';
import type { CorpusCase } from '../../helpers/corpus-case';
import { commonArgs, expectManifestHonest } from '../../helpers/corpus-world';

const PLAIN = 'tables:\n  plain: { columns: { id: integer, s: text } }\n';
const PLAIN_PG = 'CREATE TABLE plain (id integer PRIMARY KEY, s text);';

/** The export's own output refused by the file system. Root ignores permissions, so "unwritable" is a path under a regular file. */
export const exportCases: CorpusCase[] = [
  {
    name: 'a work directory under a regular file (ENOTDIR)',
    stage: 'export',
    tamper: (c) => fsp.writeFile(path.join(c.dir, 'a-file'), 'not a directory'),
    run: (c) => ['export', ...commonArgs(c).slice(0, 6), '--work-dir', path.join(c.dir, 'a-file', 'work')],
    expect: { exit: ExitCode.Io, code: 'IO_FAILED', where: (c) => [path.join(c.dir, 'a-file', 'work')], message: /cannot create directory/ },
    migrate: { sameError: true },
  },
  {
    name: 'an export directory that is a regular file',
    stage: 'export',
    tamper: async (c) => {
      await fsp.mkdir(c.work, { recursive: true, mode: 0o700 });
      await fsp.writeFile(c.exportDir, 'not a directory');
    },
    run: 'export',
    expect: { exit: ExitCode.Io, code: 'IO_FAILED', where: (c) => [c.exportDir] },
    migrate: {
      // migrate writes no export directory: the directory --keep-files writes to is the file instead.
      mapping: PLAIN,
      pg: PLAIN_PG,
      tamper: async (c) => {
        await fsp.mkdir(c.work, { recursive: true, mode: 0o700 });
        await fsp.writeFile(c.transformDir, 'not a directory');
      },
      where: (c) => [c.transformDir],
      rows: { plain: 0 },
    },
  },
  {
    name: 'a full disk during export (file size limit)',
    stage: 'export',
    // SIGXFSZ ignored: the write fails with EFBIG instead of the process being killed.
    shell: 'trap "" XFSZ; ulimit -f 8; exec "$@"',
    run: 'export',
    expect: { exit: ExitCode.Io, code: 'IO_FAILED', message: /file size limit|EFBIG/ },
    after: {
      incomplete: ['export'],
      check: (c) => expectManifestHonest(c.exportDir),
    },
    migrate: {
      // The same limit on the files migrate --keep-files writes: 20 kB of bulk rows.
      mapping: 'tables:\n  bulk: { columns: { id: integer, s: text } }\n',
      pg: 'CREATE TABLE bulk (id integer PRIMARY KEY, s text);',
      rows: { bulk: 0 },
    },
  },
];

import path from 'node:path';
import { promises as fsp } from 'node:fs';
import { ExitCode } from '../../../src/core/exit-codes';
import type { ArrangedFault, CaseContext, CorpusCase } from '../../helpers/corpus-case';
import { commonArgs } from '../../helpers/corpus-world';
import { freezingProxy } from '../../helpers/freezing-proxy';

/**
 * A network path that freezes mid-stream (a proxy that stops forwarding and keeps its sockets
 * open: no error, and TCP keepalive sees a healthy peer) must not hang converge: the stall
 * watchdog gives up after --stall-timeout-ms with STALLED (exit 4), and nothing of the table is
 * committed. The source is the volume database (8 MB), so the path freezes with the table half-way.
 */
const STALL_MS = 1500;
const VOLUME = 'tables:\n  volume_rows: { columns: { id: integer, note: text } }\n';
const VOLUME_PG = 'CREATE TABLE volume_rows (id integer PRIMARY KEY, note text);';

/**
 * A proxy in place of the server behind `url`, frozen once 2 MB went the given way (`up`: towards
 * the server, the COPY under way; `down`: from it, the rows under way).
 */
async function frozenPath(url: string, direction: 'up' | 'down'): Promise<{ url: string; fault: ArrangedFault }> {
  const u = new URL(url);
  const proxy = await freezingProxy({ host: u.hostname, port: Number(u.port) }, { direction, bytes: 2 << 20 });
  u.port = String(proxy.port);
  return {
    url: u.toString(),
    fault: {
      // Closed, the frozen path ends the sessions it held: Postgres rolls the COPY back.
      teardown: () => proxy.close(),
      check: async () => expect({ frozen: proxy.frozen, bytes: proxy.bytes }).toMatchObject({ frozen: true }),
    },
  };
}

const withStallLimit = (command: string) => (c: CaseContext) => [
  command,
  ...commonArgs(c),
  '--stall-timeout-ms',
  String(STALL_MS),
];

export const stallCases: CorpusCase[] = [
  {
    name: 'the path to Postgres freezes mid-COPY',
    stage: 'stall',
    source: 'volume',
    from: 'transform',
    mapping: VOLUME,
    pg: VOLUME_PG,
    fault: async (c) => {
      const { url, fault } = await frozenPath(c.targetUrl, 'up');
      return { ...fault, targetUrl: url };
    },
    run: withStallLimit('import'),
    expect: {
      exit: ExitCode.Connection,
      code: 'STALLED',
      where: (c) => [`table ${c.schema}.volume_rows`],
      message: /the COPY into \S+ made no progress for 2 s \(stall time-out: --stall-timeout-ms/,
      // The stall, then the run history's write (10 s) and the sessions' close (5 s) on the frozen path.
      within: 45_000,
    },
    after: { rows: { volume_rows: 0 } },
    migrate: { sameError: true },
  },
  {
    name: 'the path to MySQL freezes mid-read',
    stage: 'stall',
    source: 'volume',
    mapping: VOLUME,
    pg: VOLUME_PG,
    fault: async (c) => {
      const { url, fault } = await frozenPath(c.sourceUrl, 'down');
      return { ...fault, sourceUrl: url };
    },
    run: withStallLimit('export'),
    expect: {
      exit: ExitCode.Connection,
      code: 'STALLED',
      where: () => ['table volume_rows'],
      message: /reading table volume_rows: MySQL sent no rows for 2 s \(stall time-out: --stall-timeout-ms/,
      // The stall, then the other worker's connection closed (5 s) on the frozen path.
      within: 30_000,
    },
    after: {
      incomplete: ['export'],
      check: async (c) => {
        const m = JSON.parse(await fsp.readFile(path.join(c.exportDir, 'manifest.json'), 'utf8'));
        expect(m.tables.volume_rows.status).not.toBe('complete');
      },
    },
    migrate: { sameError: true },
  },
];

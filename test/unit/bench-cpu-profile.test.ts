import { CpuProfile, relativeLocation, summarizeProfile } from '../../bench/cpu-profile';
import { judgeLoad, TargetDigest } from '../../bench/content-check';

const frame = (functionName: string, url: string, lineNumber = 0) => ({
  functionName,
  url,
  lineNumber,
  columnNumber: 0,
});

describe('bench CPU profile summary', () => {
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame('(root)', '') },
      { id: 2, callFrame: frame('decode', 'file:///x/converge/dist/src/csv/csv-decode.js', 9) },
      { id: 3, callFrame: frame('(garbage collector)', '') },
      { id: 4, callFrame: frame('write', 'file:///x/converge/node_modules/pg/lib/client.js', 3) },
    ],
    startTime: 0,
    endTime: 100,
    // Sample k lasts timeDeltas[k+1]: decode 30+30, gc 20, write 20, the last sample 0.
    samples: [2, 2, 3, 4, 2],
    timeDeltas: [0, 30_000, 30_000, 20_000, 20_000],
  };

  it("ranks functions and files by self time, without the machine's paths", () => {
    const s = summarizeProfile(profile);
    expect(s.totalMs).toBe(100);
    expect(s.functions[0]).toEqual({
      name: 'decode (dist/src/csv/csv-decode.js:10)',
      file: 'dist/src/csv/csv-decode.js',
      selfMs: 60,
      selfPercent: 60,
    });
    expect(s.functions.map((f) => f.name)).toContain('(garbage collector)');
    expect(s.files.find((f) => f.file === 'node_modules/pg/lib/client.js')?.selfPercent).toBe(20);
    expect(JSON.stringify(s)).not.toContain('/x/converge');
  });

  it('keeps node internals by name', () => {
    expect(relativeLocation('node:internal/streams/writable', 4)).toEqual({ file: 'node:internal/streams/writable' });
  });
});

describe('bench load check', () => {
  const digest = (events: number, sum = '7'): TargetDigest => ({
    accounts: { rows: 2, checksum: '1' },
    events: { rows: events, checksum: sum },
    attachments: { rows: 1, checksum: '3' },
  });
  const expected = { accounts: 2, events: 5, attachments: 1 };

  it('fails a load with missing rows even when the tool said it succeeded', () => {
    expect(judgeLoad(digest(0), expected)).toEqual({ ok: false, problems: ['events: 0 rows, the source has 5'] });
  });

  it('fails a load whose content differs from the reference', () => {
    const v = judgeLoad(digest(5, '8'), expected, { name: 'converge', digest: digest(5) });
    expect(v.problems).toEqual(["events: content differs from converge's load"]);
    expect(judgeLoad(digest(5), expected, { name: 'converge', digest: digest(5) }).ok).toBe(true);
  });
});

import { describeRuns, median, pairedRatio, RunRecord, summarizeRuns, toolResults } from '../../bench/paired';
import { runTasks } from '../../bench/physical-limit';
import { rebuildPlan, schemaDifferences, SchemaObject } from '../../bench/schema-objects';

const run = (round: number, seconds: number | undefined, load = 1, problems: string[] = []): RunRecord => ({
  round,
  seconds,
  peakRssBytes: round * 2 ** 20,
  loadAverage: load,
  problems,
});

describe('paired bench runs', () => {
  it('takes the median of odd and even counts, ignoring nothing but non-numbers', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeUndefined();
    expect(median([NaN, 5])).toBe(5);
  });

  it('pairs ratios round by round and reports their median, not the ratio of medians', () => {
    // Round 2 ran under a burst of load for the tool only: one pair is off, the median is not.
    const tool = [run(1, 10), run(2, 30), run(3, 12)];
    const limit = [run(1, 8), run(2, 9), run(3, 12)];
    const { ratio, ratios } = pairedRatio(tool, limit);
    expect(ratios).toEqual([0.8, 0.3, 1]);
    expect(ratio).toBe(0.8);
    // The ratio of the median times would say 10/12 = 0.83 here: the pairing is what differs.
    expect(median([8, 9, 12])! / median([10, 30, 12])!).not.toBe(ratio);
  });

  it('leaves out a round where either side failed', () => {
    const { ratio, ratios } = pairedRatio(
      [run(1, 10), run(2, undefined), run(3, 20)],
      [run(1, 5), run(2, 5), run(3, undefined)],
    );
    expect(ratios).toEqual([0.5]);
    expect(ratio).toBe(0.5);
    expect(pairedRatio([run(1, undefined)], [run(1, 5)]).ratio).toBeUndefined();
  });

  it('summarises runs: median time, largest RSS, any failed round fails the tool and says which', () => {
    expect(summarizeRuns([run(1, 10), run(2, 14), run(3, 11)])).toEqual({
      failed: false,
      seconds: 11,
      peakRssBytes: 3 * 2 ** 20,
      problems: [],
    });
    const rounds = [run(1, 10), run(2, undefined, 1, ['events: 0 rows, the source has 80']), run(3, 12)];
    const bad = summarizeRuns(rounds);
    expect(bad).toMatchObject({ failed: true, seconds: undefined });
    expect(bad.problems).toEqual(['round 2: events: 0 rows, the source has 80']);
    // A yardstick is timed on its good rounds, its failed one still reported.
    expect(summarizeRuns(rounds, false)).toMatchObject({ failed: false, seconds: 11, problems: bad.problems });
    expect(summarizeRuns([run(1, undefined, 1, ['exit code 1'])], false).failed).toBe(true);
  });

  it('records the load average each run started under', () => {
    expect(describeRuns([run(1, 10.04, 1.93), run(2, undefined, 12)])).toBe('10.0 s (load 1.9), failed (load 12.0)');
  });

  it('builds tool results with paired ratios against the limit and pgloader', () => {
    const runs = new Map([
      ['converge-fused', { label: 'converge migrate', runs: [run(1, 10), run(2, 11), run(3, 9)] }],
      ['limit', { label: 'limit', runs: [run(1, 10), run(2, 10), run(3, 10)] }],
      ['pgloader', { label: 'pgloader', runs: [run(1, 30), run(2, 33), run(3, 18)] }],
    ]);
    const [fused, limit, pgl] = toolResults(runs);
    expect(fused).toMatchObject({ status: 'ok', seconds: 10, vsLimit: 1, vsPgloader: 3 });
    expect(limit.vsLimit).toBeUndefined();
    expect(pgl.vsPgloader).toBeUndefined();
    expect(fused.runs).toHaveLength(3);
  });

  it('keeps comparing with a yardstick that failed one round, never with a converge path that did', () => {
    const runs = new Map([
      ['converge-fused', { label: 'converge migrate', runs: [run(1, 10), run(2, 10, 1, ['events: content differs'])] }],
      ['limit', { label: 'limit', runs: [run(1, 10), run(2, 10)] }],
      ['pgloader', { label: 'pgloader', runs: [run(1, 30), run(2, undefined, 1, ['exit code 1'])] }],
    ]);
    const [fused, , pgl] = toolResults(runs);
    expect(fused).toMatchObject({ status: 'failed', seconds: undefined });
    expect(pgl).toMatchObject({ status: 'ok', seconds: 30, problems: ['round 2: exit code 1'] });
  });
});

const obj = (
  o: Partial<SchemaObject> & Pick<SchemaObject, 'table' | 'kind' | 'name' | 'definition'>,
): SchemaObject => ({
  validated: true,
  ...o,
});
const OBJECTS: SchemaObject[] = [
  obj({ table: 'accounts', kind: 'primary key', name: 'accounts_pkey', definition: 'PRIMARY KEY (id)' }),
  obj({
    table: 'events',
    kind: 'foreign key',
    name: 'events_account_id_fkey',
    definition: 'FOREIGN KEY (account_id) REFERENCES accounts(id)',
    references: 'accounts',
  }),
  obj({
    table: 'events',
    kind: 'index',
    name: 'idx_events_account',
    definition: 'CREATE INDEX idx_events_account ON public.events USING btree (account_id)',
  }),
  obj({ table: 'events', kind: 'primary key', name: 'events_pkey', definition: 'PRIMARY KEY (id)' }),
];

describe('the physical limit builds the end state back', () => {
  it('builds each table key first, then its indexes, and every foreign key NOT VALID then validated', () => {
    const plan = rebuildPlan(OBJECTS);
    expect(plan.perTable.events).toEqual([
      'ALTER TABLE public."events" ADD CONSTRAINT "events_pkey" PRIMARY KEY (id)',
      'CREATE INDEX idx_events_account ON public.events USING btree (account_id)',
    ]);
    expect(plan.perTable.accounts).toEqual([
      'ALTER TABLE public."accounts" ADD CONSTRAINT "accounts_pkey" PRIMARY KEY (id)',
    ]);
    expect(plan.perTable.attachments).toEqual([]);
    expect(plan.foreignKeys).toEqual([
      {
        table: 'events',
        references: 'accounts',
        add: 'ALTER TABLE public."events" ADD CONSTRAINT "events_account_id_fkey" FOREIGN KEY (account_id) REFERENCES accounts(id) NOT VALID',
        validate: 'ALTER TABLE public."events" VALIDATE CONSTRAINT "events_account_id_fkey"',
      },
    ]);
  });

  it('names every difference from the end state: missing, changed, extra, not validated', () => {
    expect(schemaDifferences(OBJECTS, OBJECTS)).toEqual([]);
    const got = [
      OBJECTS[0],
      { ...OBJECTS[1], validated: false },
      { ...OBJECTS[2], definition: 'CREATE INDEX idx_events_account ON public.events USING hash (account_id)' },
      obj({
        table: 'events',
        kind: 'index',
        name: 'extra_idx',
        definition: 'CREATE INDEX extra_idx ON public.events (id)',
      }),
    ];
    expect(schemaDifferences(OBJECTS, got)).toEqual([
      'events: foreign key events_account_id_fkey is not validated',
      'events: index idx_events_account is CREATE INDEX idx_events_account ON public.events USING hash (account_id), expected CREATE INDEX idx_events_account ON public.events USING btree (account_id)',
      'events: primary key events_pkey is missing',
      'events: index extra_idx is extra',
    ]);
  });

  it('runs tasks two at a time, each after those it waits for, and starts nothing after a failure', async () => {
    const log: string[] = [];
    let live = 0;
    let most = 0;
    const task = (label: string, after: string[] = [], exitCode = 0) => ({
      label,
      after,
      run: async () => {
        live++;
        most = Math.max(most, live);
        log.push(`start ${label}`);
        await new Promise((r) => setImmediate(r));
        log.push(`end ${label}`);
        live--;
        return { exitCode };
      },
    });
    const results = await runTasks([task('a'), task('b'), task('c'), task('fk', ['b', 'a'])], 2);
    expect(results).toHaveLength(4);
    expect(most).toBe(2);
    expect(log.indexOf('start fk')).toBeGreaterThan(log.indexOf('end a'));
    expect(log.indexOf('start fk')).toBeGreaterThan(log.indexOf('end b'));

    log.length = 0;
    const failed = await runTasks([task('a', [], 1), task('fk', ['a'])], 2);
    expect(failed.map((r) => r.exitCode)).toEqual([1]);
    expect(log).not.toContain('start fk');
  });
});

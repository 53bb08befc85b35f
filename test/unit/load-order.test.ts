import { Edge, LoadGroup, planLoadOrder } from '../../src/target/postgres/load/load-order';

const e = (child: string, parent: string): Edge => ({ child, parent });
const flat = (plan: LoadGroup[]) => plan.flatMap((g) => g.tables);

/** Every edge between different groups must point from an earlier level to a later one. */
function expectParentsFirst(plan: LoadGroup[], edges: Edge[]): void {
  const levelOf = new Map<string, number>();
  const groupOf = new Map<string, number>();
  plan.forEach((g, i) => g.tables.forEach((t) => (levelOf.set(t, g.level), groupOf.set(t, i))));
  for (const { child, parent } of edges) {
    if (child === parent || groupOf.get(child) === groupOf.get(parent)) continue;
    expect(levelOf.get(parent)!).toBeLessThan(levelOf.get(child)!);
  }
}

describe('planLoadOrder', () => {
  test('a chain loads parent first, one level each', () => {
    const plan = planLoadOrder(['c', 'b', 'a'], [e('b', 'a'), e('c', 'b')]);
    expect(plan).toEqual([
      { tables: ['a'], cycle: false, level: 0 },
      { tables: ['b'], cycle: false, level: 1 },
      { tables: ['c'], cycle: false, level: 2 },
    ]);
  });

  test('a diamond puts both middles on one level and the bottom after both', () => {
    const edges = [e('left', 'top'), e('right', 'top'), e('bottom', 'left'), e('bottom', 'right')];
    const plan = planLoadOrder(['bottom', 'right', 'left', 'top'], edges);
    expect(plan.map((g) => [g.tables, g.level])).toEqual([
      [['top'], 0],
      [['left'], 1],
      [['right'], 1],
      [['bottom'], 2],
    ]);
    expectParentsFirst(plan, edges);
  });

  test('the level is the longest path, not the shortest', () => {
    // d hangs off a directly and off c, which is two levels down.
    const edges = [e('b', 'a'), e('c', 'b'), e('d', 'a'), e('d', 'c')];
    const plan = planLoadOrder(['a', 'b', 'c', 'd'], edges);
    expect(plan.find((g) => g.tables[0] === 'd')!.level).toBe(3);
    expectParentsFirst(plan, edges);
  });

  test('a self-reference is ignored (one COPY checks it at statement end)', () => {
    const plan = planLoadOrder(['tree', 'owner'], [e('tree', 'tree'), e('tree', 'owner')]);
    expect(plan).toEqual([
      { tables: ['owner'], cycle: false, level: 0 },
      { tables: ['tree'], cycle: false, level: 1 },
    ]);
  });

  test('a two-table cycle is one group with cycle=true, after its parents and before its children', () => {
    const edges = [e('a', 'b'), e('b', 'a'), e('a', 'root'), e('leaf', 'b')];
    const plan = planLoadOrder(['leaf', 'b', 'a', 'root'], edges);
    expect(plan).toEqual([
      { tables: ['root'], cycle: false, level: 0 },
      { tables: ['a', 'b'], cycle: true, level: 1 },
      { tables: ['leaf'], cycle: false, level: 2 },
    ]);
  });

  test('a three-table cycle is also one group', () => {
    const plan = planLoadOrder(['x', 'y', 'z'], [e('x', 'y'), e('y', 'z'), e('z', 'x')]);
    expect(plan).toEqual([{ tables: ['x', 'y', 'z'], cycle: true, level: 0 }]);
  });

  test('unrelated tables share level 0 and are ordered by name', () => {
    const plan = planLoadOrder(['zeta', 'alpha', 'mid'], []);
    expect(plan).toEqual([
      { tables: ['alpha'], cycle: false, level: 0 },
      { tables: ['mid'], cycle: false, level: 0 },
      { tables: ['zeta'], cycle: false, level: 0 },
    ]);
  });

  test('edges to tables outside the plan are ignored', () => {
    const plan = planLoadOrder(['child'], [e('child', 'elsewhere'), e('ghost', 'child')]);
    expect(plan).toEqual([{ tables: ['child'], cycle: false, level: 0 }]);
  });

  test('duplicate edges (two FKs to the same parent) count once', () => {
    const plan = planLoadOrder(['p', 'c'], [e('c', 'p'), e('c', 'p')]);
    expect(plan.map((g) => [g.tables[0], g.level])).toEqual([
      ['p', 0],
      ['c', 1],
    ]);
  });

  test('the plan is the same whatever order tables and edges come in', () => {
    const tables = [
      'identities',
      'credentials',
      'credential_types',
      'sessions',
      'networks',
      'identity_verifiable_addresses',
      'courier_messages',
    ];
    const edges = [
      e('identities', 'networks'),
      e('credentials', 'identities'),
      e('credentials', 'credential_types'),
      e('sessions', 'identities'),
      e('identity_verifiable_addresses', 'identities'),
      e('courier_messages', 'networks'),
      e('sessions', 'networks'),
    ];
    const reference = planLoadOrder(tables, edges);
    let seed = 7;
    const shuffle = <T>(xs: T[]): T[] => {
      const a = [...xs];
      for (let i = a.length - 1; i > 0; i--) {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        const j = seed % (i + 1);
        [a[i], a[j]] = [a[j], a[i]];
      }
      return a;
    };
    for (let round = 0; round < 20; round++) expect(planLoadOrder(shuffle(tables), shuffle(edges))).toEqual(reference);
    expect(flat(reference)).toHaveLength(tables.length);
    expectParentsFirst(reference, edges);
    expect(reference.slice(0, 2).map((g) => g.tables[0])).toEqual(['credential_types', 'networks']);
  });

  test('a deep chain of 5000 tables does not overflow the stack', () => {
    const tables = Array.from({ length: 5000 }, (_, i) => `t${String(i).padStart(5, '0')}`);
    const edges = tables.slice(1).map((t, i) => e(t, tables[i]));
    const plan = planLoadOrder(tables, edges);
    expect(plan).toHaveLength(5000);
    expect(plan[4999]).toEqual({ tables: ['t04999'], cycle: false, level: 4999 });
  });
});

/**
 * Orders tables so every parent is loaded before its children, from the target's foreign keys.
 * Pure: catalogs in, plan out. Tables that reference each other (a cycle) form one group
 * loaded together; a table referencing itself is fine inside one COPY (its FK checks run at the
 * end of the statement). Ties are broken by name so the plan is the same on every run.
 */
export interface Edge {
  child: string;
  parent: string;
}

export interface LoadGroup {
  tables: string[];
  /** More than one table that reference each other. */
  cycle: boolean;
  /** Groups with the same level have no FK between them and may load in parallel. */
  level: number;
}

export function planLoadOrder(tables: string[], edges: Edge[]): LoadGroup[] {
  const set = new Set(tables);
  const adj = new Map<string, Set<string>>(tables.map((t) => [t, new Set()]));
  for (const e of edges) {
    if (e.child === e.parent || !set.has(e.child) || !set.has(e.parent)) continue;
    adj.get(e.parent)!.add(e.child); // parent → child: parent first
  }
  const sccs = tarjan([...tables].sort(), adj);
  const groupOf = new Map<string, number>();
  sccs.forEach((g, i) => g.forEach((t) => groupOf.set(t, i)));
  // Group DAG, then Kahn with a sorted ready list for determinism, tracking depth as level.
  const indeg = sccs.map(() => 0);
  const gAdj = sccs.map(() => new Set<number>());
  for (const [p, children] of adj) {
    for (const c of children) {
      const a = groupOf.get(p)!;
      const b = groupOf.get(c)!;
      if (a !== b && !gAdj[a].has(b)) {
        gAdj[a].add(b);
        indeg[b]++;
      }
    }
  }
  const level = sccs.map(() => 0);
  const name = (i: number) => sccs[i][0];
  let ready = sccs
    .map((_, i) => i)
    .filter((i) => indeg[i] === 0)
    .sort((a, b) => name(a).localeCompare(name(b)));
  const out: LoadGroup[] = [];
  while (ready.length) {
    const i = ready.shift()!;
    out.push({ tables: sccs[i], cycle: sccs[i].length > 1, level: level[i] });
    for (const j of gAdj[i]) {
      level[j] = Math.max(level[j], level[i] + 1);
      if (--indeg[j] === 0) ready.push(j);
    }
    ready = ready.sort((a, b) => level[a] - level[b] || name(a).localeCompare(name(b)));
  }
  return out.sort((a, b) => a.level - b.level || a.tables[0].localeCompare(b.tables[0]));
}

function tarjan(nodes: string[], adj: Map<string, Set<string>>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  // Iterative to survive deep FK chains without blowing the call stack.
  for (const root of nodes) {
    if (idx.has(root)) continue;
    const work: Array<{ v: string; it: Iterator<string> }> = [];
    const visit = (v: string) => {
      idx.set(v, index);
      low.set(v, index++);
      stack.push(v);
      onStack.add(v);
      work.push({ v, it: [...adj.get(v)!].sort()[Symbol.iterator]() });
    };
    visit(root);
    while (work.length) {
      const top = work[work.length - 1];
      const n = top.it.next();
      if (!n.done) {
        const w = n.value;
        if (!idx.has(w)) visit(w);
        else if (onStack.has(w)) low.set(top.v, Math.min(low.get(top.v)!, idx.get(w)!));
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1].v;
        low.set(parent, Math.min(low.get(parent)!, low.get(top.v)!));
      }
      if (low.get(top.v) === idx.get(top.v)) {
        const comp: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          comp.push(w);
        } while (w !== top.v);
        out.push(comp.sort());
      }
    }
  }
  return out;
}

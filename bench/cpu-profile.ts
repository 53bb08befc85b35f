import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

/** The parts of V8's .cpuprofile (node --cpu-prof) the summary reads. */
export interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
    hitCount?: number;
  }>;
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface Hotspot {
  /** Function name and where it is: `name (src/csv/csv-decode.ts:42)`, or a V8 bucket like `(garbage collector)`. */
  name: string;
  file: string;
  selfMs: number;
  selfPercent: number;
}

export interface ProfileSummary {
  totalMs: number;
  functions: Hotspot[];
  files: Array<{ file: string; selfMs: number; selfPercent: number }>;
}

/**
 * Where a profiled URL lives, printable without the machine's own paths: this project's code by
 * its source file (via the compiled file's source map when there is one), dependencies from
 * node_modules/, Node's internals as they are.
 */
export type Locate = (url: string, line: number, column: number) => { file: string; line?: number };

export function relativeLocation(url: string, line: number): { file: string; line?: number } {
  if (!url) return { file: '' };
  if (url.startsWith('node:')) return { file: url };
  const p = url.startsWith('file://') ? safePath(url) : url;
  const nm = p.lastIndexOf('/node_modules/');
  if (nm >= 0) return { file: p.slice(nm + 1) };
  const dist = p.lastIndexOf('/dist/');
  if (dist >= 0) return { file: p.slice(dist + 1), line: line + 1 };
  return { file: p.split('/').pop() ?? p, line: line + 1 };
}

function safePath(url: string): string {
  try {
    return fileURLToPath(url);
  } catch {
    return url;
  }
}

/** Maps compiled dist/ code back to the TypeScript line through its .js.map, when present. */
export function sourceMapLocator(): Locate {
  const maps = new Map<string, SourceMap | null>();
  return (url, line, column) => {
    const rel = relativeLocation(url, line);
    if (!rel.file.startsWith('dist/')) return rel;
    const file = url.startsWith('file://') ? safePath(url) : url;
    if (!maps.has(file)) {
      try {
        maps.set(file, new SourceMap(JSON.parse(readFileSync(file + '.map', 'utf8'))));
      } catch {
        maps.set(file, null);
      }
    }
    const map = maps.get(file);
    const entry = map?.findEntry(line, column) as { originalSource?: string; originalLine?: number } | undefined;
    if (!entry?.originalSource)
      return { file: rel.file.replace(/^dist\//, '').replace(/\.js$/, '.ts'), line: undefined };
    const src = entry.originalSource.replace(/^.*?(?=(src|bench|apps)\/)/, '');
    return { file: src, line: (entry.originalLine ?? 0) + 1 };
  };
}

/** Self time per function and per file, largest first. */
export function summarizeProfile(p: CpuProfile, top = 12, locate: Locate = relativeLocation): ProfileSummary {
  const byNode = new Map<number, number>();
  // Sample k lasts until sample k+1 (Chrome DevTools' reading); timeDeltas are microseconds.
  for (let k = 0; k < p.samples.length; k++) {
    const dur = k + 1 < p.timeDeltas.length ? p.timeDeltas[k + 1] : 0;
    byNode.set(p.samples[k], (byNode.get(p.samples[k]) ?? 0) + Math.max(0, dur));
  }
  const totalUs = [...byNode.values()].reduce((a, b) => a + b, 0) || 1;
  const fn = new Map<string, { file: string; us: number }>();
  const files = new Map<string, number>();
  for (const n of p.nodes) {
    const us = byNode.get(n.id);
    if (!us) continue;
    const cf = n.callFrame;
    const loc = locate(cf.url, cf.lineNumber, cf.columnNumber);
    const name = cf.functionName || (cf.url ? '(anonymous)' : '(root)');
    const key = loc.file ? `${name} (${loc.file}${loc.line ? `:${loc.line}` : ''})` : name;
    const e = fn.get(key) ?? { file: loc.file || name, us: 0 };
    e.us += us;
    fn.set(key, e);
    const fileKey = loc.file || name;
    files.set(fileKey, (files.get(fileKey) ?? 0) + us);
  }
  const pct = (us: number) => Math.round((us / totalUs) * 1000) / 10;
  return {
    totalMs: Math.round(totalUs / 1000),
    functions: [...fn.entries()]
      .sort((a, b) => b[1].us - a[1].us)
      .slice(0, top)
      .map(([name, e]) => ({ name, file: e.file, selfMs: Math.round(e.us / 1000), selfPercent: pct(e.us) })),
    files: [...files.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([file, us]) => ({ file, selfMs: Math.round(us / 1000), selfPercent: pct(us) })),
  };
}

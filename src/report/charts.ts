/**
 * SVG chart builders for the rehearsal report. Each function is self-contained (no imports, no
 * module-level helpers) because report.html embeds its source and runs it in the browser on the
 * report's embedded JSON: the page needs no network and no library, and the same code is
 * type-checked and unit-tested here.
 */

export interface BarChartSpec {
  type: 'bars';
  title: string;
  unit: string;
  /** Stack parts, in order (e.g. export, transform, import, verify). */
  series: string[];
  rows: Array<{ label: string; values: number[] }>;
}

export interface LineChartSpec {
  type: 'line';
  title: string;
  unit: string;
  /** X axis labels (rehearsal dates), oldest first. */
  labels: string[];
  lines: Array<{ name: string; values: Array<number | null> }>;
}

export type ChartSpec = BarChartSpec | LineChartSpec;

/** Horizontal stacked bars, one row per label, with a legend and the total at each bar's end. */
export function barChartSvg(spec: BarChartSpec): string {
  const esc = (s: string) =>
    String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
  const colours = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948'];
  const labelW = Math.min(260, 12 + 7 * Math.max(4, ...spec.rows.map((r) => r.label.length)));
  const barH = 18;
  const gap = 6;
  const top = 44;
  const plotW = 460;
  const width = labelW + plotW + 90;
  const height = top + spec.rows.length * (barH + gap) + 10;
  const max = Math.max(1e-9, ...spec.rows.map((r) => r.values.reduce((a, b) => a + b, 0)));
  const parts: string[] = [];
  parts.push(`<text x="4" y="16" class="chart-title">${esc(spec.title)}</text>`);
  spec.series.forEach((s, i) => {
    const x = labelW + i * 110;
    parts.push(
      `<rect x="${x}" y="24" width="10" height="10" fill="${colours[i % colours.length]}"></rect><text x="${x + 14}" y="33" class="legend">${esc(s)}</text>`,
    );
  });
  spec.rows.forEach((r, i) => {
    const y = top + i * (barH + gap);
    parts.push(`<text x="${labelW - 6}" y="${y + barH - 5}" text-anchor="end" class="label">${esc(r.label)}</text>`);
    let x = labelW;
    r.values.forEach((v, j) => {
      const w = (Math.max(0, v) / max) * plotW;
      parts.push(
        `<rect class="bar" x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${barH}" fill="${colours[j % colours.length]}"><title>${esc(`${r.label} ${spec.series[j] ?? ''}: ${fmt(v)} ${spec.unit}`)}</title></rect>`,
      );
      x += w;
    });
    parts.push(
      `<text x="${(x + 4).toFixed(1)}" y="${y + barH - 5}" class="value">${fmt(r.values.reduce((a, b) => a + b, 0))} ${esc(spec.unit)}</text>`,
    );
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(spec.title)}">${parts.join('')}</svg>`;
}

/** One line per series over the rehearsals, points marked, the y axis from zero. */
export function lineChartSvg(spec: LineChartSpec): string {
  const esc = (s: string) =>
    String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
  const colours = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948'];
  const left = 60;
  const top = 44;
  const plotW = 520;
  const plotH = 180;
  const width = left + plotW + 30;
  const height = top + plotH + 40;
  const all = spec.lines.flatMap((l) => l.values.filter((v): v is number => v !== null));
  const max = Math.max(1e-9, ...all) * 1.1;
  const n = spec.labels.length;
  const xOf = (i: number) => left + (n <= 1 ? plotW / 2 : (i / (n - 1)) * plotW);
  const yOf = (v: number) => top + plotH - (v / max) * plotH;
  const parts: string[] = [`<text x="4" y="16" class="chart-title">${esc(spec.title)}</text>`];
  spec.lines.forEach((l, i) => {
    const x = left + i * 130;
    parts.push(
      `<rect x="${x}" y="24" width="10" height="10" fill="${colours[i % colours.length]}"></rect><text x="${x + 14}" y="33" class="legend">${esc(l.name)}</text>`,
    );
  });
  for (let k = 0; k <= 4; k++) {
    const v = (max / 4) * k;
    parts.push(
      `<line x1="${left}" x2="${left + plotW}" y1="${yOf(v).toFixed(1)}" y2="${yOf(v).toFixed(1)}" class="grid"></line><text x="${left - 6}" y="${(yOf(v) + 4).toFixed(1)}" text-anchor="end" class="axis">${fmt(v)}</text>`,
    );
  }
  parts.push(`<text x="4" y="${top + plotH / 2}" class="axis">${esc(spec.unit)}</text>`);
  spec.labels.forEach((label, i) =>
    parts.push(
      `<text x="${xOf(i).toFixed(1)}" y="${top + plotH + 16}" text-anchor="middle" class="axis">${esc(label)}</text>`,
    ),
  );
  spec.lines.forEach((l, i) => {
    const c = colours[i % colours.length];
    const pts = l.values
      .map((v, j) => (v === null ? null : `${xOf(j).toFixed(1)},${yOf(v).toFixed(1)}`))
      .filter((p): p is string => p !== null);
    if (pts.length > 1)
      parts.push(
        `<polyline class="series" fill="none" stroke="${c}" stroke-width="2" points="${pts.join(' ')}"></polyline>`,
      );
    l.values.forEach((v, j) => {
      if (v !== null)
        parts.push(
          `<circle class="point" cx="${xOf(j).toFixed(1)}" cy="${yOf(v).toFixed(1)}" r="4" fill="${c}"><title>${esc(`${l.name} ${spec.labels[j]}: ${fmt(v)} ${spec.unit}`)}</title></circle>`,
        );
    });
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(spec.title)}">${parts.join('')}</svg>`;
}

/** The browser entry point, embedded as is: draws every [data-chart] element, then marks the page. */
export function renderReportCharts(
  doc: {
    getElementById(id: string): { textContent: string | null } | null;
    querySelectorAll(sel: string): ArrayLike<unknown>;
    body: { setAttribute(k: string, v: string): void };
  },
  draw: { bars: (s: BarChartSpec) => string; line: (s: LineChartSpec) => string },
): number {
  const data = JSON.parse(doc.getElementById('report-data')?.textContent ?? '{"charts":[]}') as { charts: ChartSpec[] };
  const slots = Array.from(doc.querySelectorAll('[data-chart]')) as Array<{
    getAttribute(k: string): string | null;
    innerHTML: string;
  }>;
  let drawn = 0;
  for (const el of slots) {
    const spec = data.charts[Number(el.getAttribute('data-chart'))];
    if (!spec) continue;
    el.innerHTML = spec.type === 'line' ? draw.line(spec) : draw.bars(spec);
    drawn++;
  }
  doc.body.setAttribute('data-rendered', drawn === data.charts.length && drawn > 0 ? 'true' : 'false');
  doc.body.setAttribute('data-charts', String(drawn));
  return drawn;
}

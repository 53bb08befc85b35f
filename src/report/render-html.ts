import { barChartSvg, ChartSpec, lineChartSvg, renderReportCharts } from './charts';
import type { Block } from './report-blocks';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1000px;color:#222;padding:0 1em}
table{border-collapse:collapse;margin:.5em 0 1.2em}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}
td:not(:first-child){font-variant-numeric:tabular-nums}blockquote{border-left:4px solid #f28e2b;margin:0;padding:.3em 1em;background:#fff8ef}
.chart-title{font-weight:600;font-size:13px}.legend,.label,.value,.axis{font-size:11px}.grid{stroke:#e4e4e4}.chart-slot{margin:.5em 0 1em}`;

/**
 * report.html, one self-contained file: tables as HTML, charts drawn in the page from the
 * embedded JSON by the chart functions' own source (no network, no library). When drawing is
 * done the body carries data-rendered="true", which the browser test checks.
 */
export function renderHtml(title: string, blocks: Block[], charts: ChartSpec[]): string {
  const body: string[] = [];
  for (const b of blocks) {
    if (b.kind === 'heading') body.push(`<h${b.level}>${esc(b.text)}</h${b.level}>`);
    else if (b.kind === 'paragraph') body.push(`<p>${esc(b.text)}</p>`);
    else if (b.kind === 'note') body.push(`<blockquote>${esc(b.text)}</blockquote>`);
    else if (b.kind === 'chart') body.push(`<div class="chart-slot" data-chart="${b.index}"></div>`);
    else
      body.push(
        `<table><thead><tr>${b.headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${b.rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`,
      );
  }
  // "<" escaped so no value can close the script element.
  const data = JSON.stringify({ charts }).replace(/</g, '\\u003c');
  const script = [
    `var barChartSvg = ${barChartSvg.toString()};`,
    `var lineChartSvg = ${lineChartSvg.toString()};`,
    `var renderReportCharts = ${renderReportCharts.toString()};`,
    'renderReportCharts(document, { bars: barChartSvg, line: lineChartSvg });',
  ].join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${esc(title)}</title><style>${STYLE}</style></head>
<body data-rendered="false">
${body.join('\n')}
<noscript><p>The charts are drawn by the page's script; the tables hold the same figures.</p></noscript>
<script type="application/json" id="report-data">${data}</script>
<script>
${script}
</script>
</body></html>
`;
}

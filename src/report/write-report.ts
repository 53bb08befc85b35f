import path from 'node:path';
import { ensurePrivateDir, writeFileAtomic } from '../core/private-files';
import { buildReport, RehearsalReport } from './report-blocks';
import { renderHtml } from './render-html';
import { renderMarkdown } from './render-markdown';
import { buildRunReport } from './run-report';
import type { RunSummary } from '../run/run-summary';

/** Writes report.md and report.html into dir; returns their paths. */
export async function writeRehearsalReport(
  dir: string,
  report: RehearsalReport,
): Promise<{ markdown: string; html: string }> {
  await ensurePrivateDir(dir);
  const { blocks, charts } = buildReport(report);
  const markdown = path.join(dir, 'report.md');
  const html = path.join(dir, 'report.html');
  await writeFileAtomic(markdown, renderMarkdown(blocks));
  await writeFileAtomic(html, renderHtml('converge rehearsal report', blocks, charts));
  return { markdown, html };
}

/** Writes one run's report.md and report.html into dir (runs show --report); returns their paths. */
export async function writeRunReport(dir: string, summary: RunSummary): Promise<{ markdown: string; html: string }> {
  await ensurePrivateDir(dir);
  const { blocks, charts } = buildRunReport(summary);
  const markdown = path.join(dir, 'report.md');
  const html = path.join(dir, 'report.html');
  await writeFileAtomic(markdown, renderMarkdown(blocks));
  await writeFileAtomic(html, renderHtml(`converge run ${summary.run.id}`, blocks, charts));
  return { markdown, html };
}

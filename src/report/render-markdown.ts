import type { Block } from './report-blocks';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** report.md: the same content as report.html; charts are the HTML's, their figures are in the tables. */
export function renderMarkdown(blocks: Block[]): string {
  const out: string[] = [];
  for (const b of blocks) {
    if (b.kind === 'heading') out.push(`${'#'.repeat(b.level)} ${b.text}`, '');
    else if (b.kind === 'paragraph') out.push(b.text, '');
    else if (b.kind === 'note') out.push(`> ${b.text}`, '');
    else if (b.kind === 'table') {
      out.push(
        `| ${b.headers.map(cell).join(' | ')} |`,
        `|${b.headers.map(() => ' --- ').join('|')}|`,
        ...b.rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
        '',
      );
    }
  }
  return out.join('\n');
}

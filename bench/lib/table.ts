import type { MeasurementResult, Row } from './results.js';

export function formatValue(value: number | string | undefined, unit: string): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  if (!Number.isFinite(value)) return 'n/a';
  const digits = unit === 'req/s' || unit === '' ? 0 : Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  const text = value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return unit ? `${text} ${unit}` : text;
}

export function formatRatio(ratio: number | undefined): string {
  if (ratio === undefined || !Number.isFinite(ratio)) return '';
  return ratio >= 100 ? `${ratio.toFixed(0)}×` : ratio >= 10 ? `${ratio.toFixed(1)}×` : `${ratio.toFixed(2)}×`;
}

/** Plain cells of one row: metric, portico, baseline, ratio, target, result. */
export function cells(row: Row): string[] {
  const baseline = row.baseline === undefined ? '' : `${formatValue(row.baseline, row.unit)}${row.baselineLabel ? ` (${row.baselineLabel})` : ''}`;
  return [row.id, row.metric, formatValue(row.portico, row.unit), baseline, formatRatio(row.ratio), row.target ?? '', row.verdict ?? ''];
}

/** ` [CPU: bench 150%, other processes 12% of a core]` */
export function contention(result: MeasurementResult): string {
  if (!result.cpu) return '';
  return ` [CPU: bench ${result.cpu.oursPct.toFixed(0)}%, other processes ${result.cpu.othersPct.toFixed(0)}% of a core]`;
}

export const HEADER = ['#', 'metric', 'portico', 'baseline', 'ratio', 'target', 'result'];

/** A fixed-width text table of every measurement, with notes under it. */
export function renderText(results: readonly MeasurementResult[]): string {
  const rows: string[][] = [];
  const notes: string[] = [];
  for (const result of results) {
    rows.push([`${result.id}`, `— ${result.title}${contention(result)}`, '', '', '', '', '']);
    if (result.error) rows.push(['', 'ERROR', result.error.split('\n')[0]!.slice(0, 100), '', '', '', 'ERROR']);
    for (const row of result.rows) {
      rows.push(cells(row));
      if (row.note) notes.push(`${row.id} ${row.metric}: ${row.note}`);
    }
  }
  const body = rows.filter((r) => !r[1]!.startsWith('— '));
  const widths = HEADER.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]): string => r.map((c, i) => (i >= 2 && i <= 4 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  const out = [line(HEADER), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const r of rows) out.push(r[1]!.startsWith('— ') ? `\n${r[0]} ${r[1]!.slice(2)}` : line(r));
  if (notes.length) out.push('', 'Notes:', ...notes.map((n) => `  ${n}`));
  return out.join('\n');
}

/** The same table in Markdown (for BENCHMARKS.md). */
export function renderMarkdown(results: readonly MeasurementResult[]): string {
  const esc = (c: string): string => c.replace(/\|/g, '\\|');
  const out = [`| ${HEADER.join(' | ')} |`, `|${HEADER.map(() => '---').join('|')}|`];
  for (const result of results) {
    out.push(`| **${result.id}** | **${esc(result.title)}**${esc(contention(result))} | | | | | |`);
    if (result.error) out.push(`| | ERROR: ${esc(result.error.split('\n')[0]!)} | | | | | ERROR |`);
    for (const row of result.rows) out.push(`| ${cells(row).map(esc).join(' | ')} |`);
  }
  return out.join('\n');
}

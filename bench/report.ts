/** One table of the benchmark report. */
export interface Section {
  title: string;
  /** What the figures mean, in a sentence or two. */
  about: string;
  columns: string[];
  rows: (string | number)[][];
}

/** The middle value of several runs. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The p-th percentile (0–100), nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1]!;
}

/** A number for a table: thousands grouped, at most `digits` decimals. */
export function figure(value: number, digits = 0): string {
  return Number.isFinite(value) ? value.toLocaleString('en-US', { maximumFractionDigits: digits }) : '—';
}

/** A ratio for a table, e.g. "31×". */
export function ratio(better: number, worse: number): string {
  return better > 0 && Number.isFinite(worse / better) ? `${figure(worse / better, 1)}×` : '—';
}

/** A section as a Markdown table. */
export function toMarkdown(section: Section): string {
  const head = `| ${section.columns.join(' | ')} |\n|${section.columns.map(() => '---').join('|')}|`;
  const body = section.rows.map((row) => `| ${row.join(' | ')} |`).join('\n');
  return `### ${section.title}\n\n${section.about}\n\n${head}\n${body}\n`;
}

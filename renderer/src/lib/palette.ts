/** Line colours that stay apart in both themes. */
const PALETTE = ['#3b82f6', '#f97316', '#10b981', '#e11d48', '#a855f7', '#eab308', '#06b6d4', '#84cc16', '#ec4899', '#64748b'];

/** The colour of the n-th series. */
export function seriesColor(index: number): string {
  return PALETTE[index % PALETTE.length]!;
}

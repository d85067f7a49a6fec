/** How long a confirmed own write waits for its update to be marked as own, or an update for its confirmation. */
export const OWN_MATCH_MS = 10_000;

/** Confirmed writes of this Countdeck whose update has not been recorded yet, per series. */
export class OwnWrites {
  private readonly expected = new Map<string, { value: string; until: number }[]>();

  get waiting(): boolean {
    return this.expected.size > 0;
  }

  /** A write confirmed `value` for a series: its update, when it comes, is own. */
  expect(series: string, value: string, now: number): void {
    const live = (this.expected.get(series) ?? []).filter((entry) => entry.until >= now);
    live.push({ value, until: now + OWN_MATCH_MS });
    this.expected.set(series, live);
  }

  /** Whether an update of `value` is an awaited own write (then it is awaited no more). */
  take(series: string, value: string, now: number): boolean {
    const expected = this.expected.get(series);
    if (expected === undefined) return false;
    const index = expected.findIndex((entry) => entry.value === value && entry.until >= now);
    const live = expected.filter((entry, at) => at !== index && entry.until >= now);
    if (live.length === 0) this.expected.delete(series);
    else this.expected.set(series, live);
    return index !== -1;
  }
}

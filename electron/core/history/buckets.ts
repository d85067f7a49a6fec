/** A counter value in a bucket: a number while exact as one, else a bigint; the two compare correctly with each other. */
export type BucketValue = bigint | number;

/** What a bucket keeps of the updates that fell in it: enough for exact peaks, the value held, and rates. */
export interface Aggregate {
  min: BucketValue;
  max: BucketValue;
  /** The value after the latest update, and when it came. */
  last: BucketValue;
  lastAt: number;
  count: number;
}

/** A bucket of one update. */
export function aggregateOf(value: BucketValue, at: number): Aggregate {
  return { min: value, max: value, last: value, lastAt: at, count: 1 };
}

/** Adds one update to a bucket, in place. */
export function addUpdate(into: Aggregate, value: BucketValue, at: number): void {
  if (value < into.min) into.min = value;
  if (value > into.max) into.max = value;
  if (at >= into.lastAt) {
    into.last = value;
    into.lastAt = at;
  }
  into.count += 1;
}

/** Adds what another bucket of the same stretch holds, in place; the later `last` wins. */
export function addAggregate(into: Aggregate, other: Aggregate): void {
  if (other.min < into.min) into.min = other.min;
  if (other.max > into.max) into.max = other.max;
  if (other.lastAt >= into.lastAt) {
    into.last = other.last;
    into.lastAt = other.lastAt;
  }
  into.count += other.count;
}

/** The SQL that adds an aggregate to the stored bucket of its tier, series and start, creating it if need be. */
export const MERGE_BUCKET_SQL = `
  INSERT INTO bucket (tier, series_id, at, min, max, last, last_at, count) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (tier, series_id, at) DO UPDATE SET
    min = min(min, excluded.min),
    max = max(max, excluded.max),
    last = CASE WHEN excluded.last_at >= last_at THEN excluded.last ELSE last END,
    last_at = max(last_at, excluded.last_at),
    count = count + excluded.count`;

import { MAX_COUNTERS_PER_GROUP } from '../../../shared/limits';
import type { HistoryRequest, KeyHistory } from '../../../shared/types';

/**
 * A series' stored history as chart points, oldest first: the value held at the range's start, then
 * each bucket's lowest, highest and last value. Only the last value's time is stored, so the others
 * are spread before it in the order they most likely came: the envelope of each bucket, the value
 * held between buckets and when it changed stay exact.
 */
export interface StoredPoints {
  readonly length: number;
  readonly times: Float64Array;
  readonly values: Float64Array;
  /** The start of the bucket each point stands for, and its width: 0 for a value known exactly (the one held at the start). */
  readonly bucketAt: Float64Array;
  readonly spans: Float64Array;
  /** The range asked for, [from, to): nothing after `to` is in these points. */
  readonly from: number;
  readonly to: number;
}

/** A bucket's values in the order drawn: its extremes, then the one it ended on (a guess between the first two). */
function bucketValues(min: number, max: number, last: number, previous: number | undefined): number[] {
  if (min === max) return [last];
  if (last === max) return [min, max];
  if (last === min) return [max, min];
  const lowFirst = previous === undefined || Math.abs(previous - min) <= Math.abs(previous - max);
  return lowFirst ? [min, max, last] : [max, min, last];
}

/** One key's stored history (read for [from, to), its `before` held at `heldFrom`) as points for the chart. */
export function storedPoints(history: KeyHistory, from: number, to: number, heldFrom = from): StoredPoints {
  const times: number[] = [];
  const values: number[] = [];
  const bucketAt: number[] = [];
  const spans: number[] = [];
  const add = (time: number, value: number, at: number, span: number): void => {
    // Buckets never overlap, but a point never goes back in time whatever the reply holds.
    times.push(Math.max(time, times.at(-1) ?? time));
    values.push(value);
    bucketAt.push(at);
    spans.push(span);
  };
  if (history.before !== null) add(heldFrom, Number(history.before), heldFrom, 0);
  for (const bucket of history.buckets) {
    const shown = bucketValues(Number(bucket.min), Number(bucket.max), Number(bucket.last), values.at(-1));
    const lastAt = Math.min(Math.max(bucket.lastAt, bucket.at), bucket.at + bucket.span);
    shown.forEach((value, i) => add(bucket.at + ((lastAt - bucket.at) * (i + 1)) / shown.length, value, bucket.at, bucket.span));
  }
  return {
    length: times.length,
    times: Float64Array.from(times),
    values: Float64Array.from(values),
    bucketAt: Float64Array.from(bucketAt),
    spans: Float64Array.from(spans),
    from,
    to,
  };
}

/** The history reads for a set of series over [from, to): one per group, at most a group's worth of keys each. */
export function historyRequests(series: readonly { groupID: string; key: string }[], from: number, to: number, maxPoints: number): HistoryRequest[] {
  const requests: HistoryRequest[] = [];
  for (const [groupID, members] of Map.groupBy(series, (one) => one.groupID)) {
    const keys = [...new Set(members.map((one) => one.key))];
    for (let at = 0; at < keys.length; at += MAX_COUNTERS_PER_GROUP) {
      requests.push({ groupID, keys: keys.slice(at, at + MAX_COUNTERS_PER_GROUP), from, to, maxPoints });
    }
  }
  return requests;
}

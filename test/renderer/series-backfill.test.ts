// @vitest-environment happy-dom
import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ErrorCode } from '../../shared/errors';
import type { HistoryReply, HistoryRequest } from '../../shared/types';
import { LineColumns } from '../../renderer/src/lib/line-columns';
import type { SeriesPoints } from '../../renderer/src/lib/series-points';
import { CHART_COLUMNS, columnsFor, HISTORY_TIERS, seriesID, useSeriesStore, WINDOW_MS } from '../../renderer/src/stores/series';
import { bucket, deferred, installFakeCountdeck, T0, type FakeCountdeck } from './support/fake-countdeck';
import { freshPinia } from './support/mount';

const ROOM = 'live-room';
const LIKES = seriesID(ROOM, 'likes');
const HOUR = 3_600_000;

let api: FakeCountdeck;

function contents(points: SeriesPoints): [number, number][] {
  return Array.from({ length: points.length }, (_, i) => [points.timeAt(i), points.valueAt(i)]);
}

/** A reply holding, for `likes`, the value 100 before the range and one bucket an hour before its end. */
function storedReply(request: HistoryRequest): HistoryReply {
  return {
    groupID: request.groupID,
    from: request.from,
    to: request.to,
    series: request.keys.map((key) => ({ key, before: '100', buckets: key === 'likes' ? [bucket(request.to - HOUR, 300_000, 100, 180)] : [] })),
  };
}

/** The store with the room's two counters loaded (seeded) at T0 and plotted; resolves once their history was read. */
async function plottedRoom() {
  const series = useSeriesStore();
  series.seed(ROOM, { likes: '200', viewers: '7' }, T0);
  await series.plotGroup(ROOM);
  return series;
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0, toFake: ['Date'] });
  api = installFakeCountdeck();
  freshPinia();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('the live cache', () => {
  it('covers the live windows only: 24 h and 7 days come from the stored history', () => {
    const longest = Math.max(...HISTORY_TIERS.map((tier) => tier.spanMs));
    expect(longest).toBe(WINDOW_MS['30m']);
    expect(longest).toBeLessThan(WINDOW_MS['24h']);
  });
});

describe('reading the stored history', () => {
  it('reads each plotted group\'s keys over the window, at about twice the chart\'s columns', async () => {
    await plottedRoom();
    expect(api.getHistory).toHaveBeenCalledExactlyOnceWith({
      groupID: ROOM,
      keys: ['likes', 'viewers'],
      from: T0 - WINDOW_MS['5m'],
      to: T0,
      maxPoints: 2 * CHART_COLUMNS,
    });
  });

  it('draws what was stored before the page started in front of the live points', async () => {
    api.getHistory.mockImplementation(async (request) => storedReply(request));
    const series = await plottedRoom();
    await series.setWindow('24h');
    expect(api.getHistory).toHaveBeenLastCalledWith(expect.objectContaining({ from: T0 - WINDOW_MS['24h'], to: T0 }));
    const likes = series.histories.get(LIKES)!;
    // The value held 24 h ago, the stored bucket's extremes, then the live (seeded) point.
    expect(contents(likes).map(([, value]) => value)).toEqual([100, 100, 180, 200]);
    expect(likes.timeAt(0)).toBe(T0 - WINDOW_MS['24h']);
    expect(likes.resolutionAt(T0 - HOUR + 1)).toBe(300_000);
    // What a chart of the last 24 h draws: from 100, up to 180, then the live 200.
    const line = new LineColumns();
    line.fill(likes, T0 - WINDOW_MS['24h'], T0, columnsFor(2), false);
    expect([line.low, line.high]).toEqual([100, 200]);
    expect(Array.from(line.ys.subarray(0, line.length))).toContain(180);
    // Live updates keep coming in after it.
    series.ingest({ seq: 1, updates: [{ groupID: ROOM, key: 'likes', value: '205', previous: '200', at: T0 + 1_000 }] });
    expect(contents(likes).at(-1)).toEqual([T0 + 1_000, 205]);
    expect(likes.length).toBe(5);
  });

  it('reads the Session window from when the page started', async () => {
    const series = await plottedRoom();
    vi.setSystemTime(T0 + 2 * HOUR);
    await series.setWindow('all');
    expect(api.getHistory).toHaveBeenLastCalledWith(expect.objectContaining({ from: T0, to: T0 + 2 * HOUR }));
  });

  it('reads only a newly plotted series, and asks for fewer points per line with many lines', async () => {
    const series = useSeriesStore();
    const keys = Array.from({ length: 60 }, (_, i) => `k${i}`);
    series.seed(ROOM, Object.fromEntries(keys.map((key) => [key, '1'])), T0);
    series.seed('club', { hearts: '1' }, T0);
    await series.plotGroup(ROOM);
    expect(api.getHistory.mock.calls.map(([request]) => request.keys.length)).toEqual([20, 20, 20]);
    expect(api.getHistory.mock.calls[0]![0].maxPoints).toBe(2 * columnsFor(60));
    api.getHistory.mockClear();
    await series.togglePlotted(seriesID('club', 'hearts'));
    expect(api.getHistory).toHaveBeenCalledExactlyOnceWith(expect.objectContaining({ groupID: 'club', keys: ['hearts'] }));
    // Hiding a series reads nothing.
    await series.togglePlotted(seriesID('club', 'hearts'));
    expect(api.getHistory).toHaveBeenCalledTimes(1);
  });

  it('drops a reply that comes after the window changed again', async () => {
    const series = useSeriesStore();
    series.seed(ROOM, { likes: '200' }, T0);
    await series.plotGroup(ROOM);
    const day = deferred<HistoryReply>();
    const week = deferred<HistoryReply>();
    api.getHistory.mockReturnValueOnce(day.promise).mockReturnValueOnce(week.promise);
    const toDay = series.setWindow('24h');
    const toWeek = series.setWindow('7d');
    const weekRequest = api.getHistory.mock.calls.at(-1)![0];
    expect(weekRequest.from).toBe(T0 - WINDOW_MS['7d']);
    week.resolve({ groupID: ROOM, from: weekRequest.from, to: T0, series: [{ key: 'likes', before: '7', buckets: [] }] });
    await toWeek;
    // The 24 h answer arrives last: it is for a window no longer shown.
    day.resolve({ groupID: ROOM, from: T0 - WINDOW_MS['24h'], to: T0, series: [{ key: 'likes', before: '999', buckets: [] }] });
    await toDay;
    expect(contents(series.histories.get(LIKES)!)).toEqual([
      [T0 - WINDOW_MS['7d'], 7],
      [T0, 200],
    ]);
  });

  it('drops a reply that comes after the connection was switched', async () => {
    const series = useSeriesStore();
    series.seed(ROOM, { likes: '200' }, T0);
    const reply = deferred<HistoryReply>();
    api.getHistory.mockReturnValueOnce(reply.promise);
    const read = series.plotGroup(ROOM);
    series.reset();
    // The new connection's room, same IDs.
    series.seed(ROOM, { likes: '3' }, T0);
    reply.resolve({ groupID: ROOM, from: T0 - WINDOW_MS['5m'], to: T0, series: [{ key: 'likes', before: '150', buckets: [] }] });
    await read;
    expect(contents(series.histories.get(LIKES)!)).toEqual([[T0, 3]]);
  });

  it('keeps the live chart when the history cannot be read, says so quietly, and tries again later', async () => {
    api.getHistory.mockRejectedValue({ code: ErrorCode.STORAGE_FAILED, message: 'disk I/O error' });
    const series = await plottedRoom();
    expect(series.historyProblem).toMatchObject({ code: ErrorCode.STORAGE_FAILED });
    const likes = series.histories.get(LIKES)!;
    expect(contents(likes)).toEqual([[T0, 200]]);
    const line = new LineColumns();
    expect(line.fill(likes, T0 - WINDOW_MS['5m'], T0 + 1_000, 200, false)).toBe(true);

    // Not again on the next tick of the chart's clock, but after a while.
    api.getHistory.mockClear();
    series.keepBackfilled(T0 + 1_000);
    expect(api.getHistory).not.toHaveBeenCalled();
    api.getHistory.mockImplementation(async (request) => storedReply(request));
    vi.setSystemTime(T0 + 31_000);
    series.keepBackfilled(T0 + 31_000);
    await flushPromises();
    expect(api.getHistory).toHaveBeenCalledTimes(1);
    expect(series.historyProblem).toBeNull();
    expect(likes.valueAt(0)).toBe(100);
  });

  it('reads again once the live cache lets go of points the last read did not reach', async () => {
    const series = await plottedRoom();
    await series.setWindow('24h');
    api.getHistory.mockClear();
    series.keepBackfilled(T0 + 1_000);
    expect(api.getHistory).not.toHaveBeenCalled();
    // An hour of live updates: the cache keeps the last half hour, which began after the last read's end.
    for (let s = 1; s <= 3_600; s += 1) series.ingest({ seq: s, updates: [{ groupID: ROOM, key: 'likes', value: String(200 + s), previous: null, at: T0 + s * 1_000 }] });
    vi.setSystemTime(T0 + HOUR);
    series.keepBackfilled(T0 + HOUR);
    expect(api.getHistory).toHaveBeenCalledExactlyOnceWith(expect.objectContaining({ keys: ['likes'], from: T0 + HOUR - WINDOW_MS['24h'], to: T0 + HOUR }));
    // Not twice while that read is out.
    series.keepBackfilled(T0 + HOUR + 1_000);
    expect(api.getHistory).toHaveBeenCalledTimes(1);
  });
});

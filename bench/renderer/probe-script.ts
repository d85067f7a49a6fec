/**
 * The page side of the renderer benchmark, as an init script (a string, like the harness's bridge:
 * the bench runs under tsx, whose `keepNames` would leave `__name` calls in functions handed to
 * `page.evaluate`). It hands the bench's events to the bridge's listeners, then watches the frames
 * that follow: rAF intervals, long tasks, and for every update the time from its `at` (when it
 * entered the core) to the end of the first frame painted after the stores had it, or, when that
 * frame handed the chart's lines to their worker, to the worker's answer that it drew them.
 */

/** The page global the bench talks to. */
export const PROBE = '__countdeckBench';
/** A page may define this to count the updates it really handled (the naive page stops at a deadline). */
export const HANDLED_HOOK = '__countdeckBenchHandled';
/** The naive page's own count of `chart.update()` calls and the milliseconds they took. */
export const COST_HOOK = '__countdeckBenchCost';
/** A page may define this to be told a history call is over (the naive page updates its chart once then). */
export const HISTORY_DONE = '__countdeckBenchHistoryDone';
/** The naive page stops handling events after this wall-clock time, so a run that fell behind ends. */
export const DEADLINE_HOOK = '__countdeckBenchDeadline';
/** A page may define this to take history without its per-event path (the naive page). */
export const HISTORY_SINK = '__countdeckBenchHistory';

/** One series of the synthetic stream: its group, its key and the value its history starts from. */
export interface HistorySpec {
  series: [groupID: string, key: string][];
  base: number[];
  /** `at` of step 0, in ms since the epoch. */
  startAt: number;
  stepMs: number;
  /** Steps [from, to) are sent, each step one update per series. */
  from: number;
  to: number;
  stepsPerBatch: number;
}

/** What the page measured in the armed window (all times wall-clock ms, like `Date.now()`). */
export interface ProbeReading {
  /** Frame (rAF) times from the last one before the window to the first after it (or now, if none came). */
  frames: number[];
  /** Per update shown in the window: end of its frame − its `at`, ms. */
  eventDelays: number[];
  /** Per batch shown in the window: end of its frame − when the bench handed it over, ms. */
  batchDelays: number[];
  /** Per batch shown in the window: end of its frame − when its task began in the page, ms (the renderer's own part). */
  pageDelays: number[];
  /** [start, duration] of each long task overlapping the window, clipped to it. */
  longTasks: [number, number][];
  /** Updates the page handled, and showed, in the window. */
  received: number;
  shown: number;
  /** Messages workers answered in the window: for the app, frames of chart lines drawn. */
  workerAnswers: number;
}

/** The init script; `emitHook` is the bridge's hidden event entry (`EMIT_HOOK`). */
export function probeScript(emitHook: string): string {
  const config = JSON.stringify({ probe: PROBE, emit: emitHook, handled: HANDLED_HOOK, history: HISTORY_SINK, historyDone: HISTORY_DONE });
  return `(() => {
  'use strict';
  if (window !== window.top) return;
  const config = ${config};
  const emit = (items) => window[config.emit](items);
  const handledSoFar = () => (typeof window[config.handled] === 'function' ? window[config.handled]() : null);
  let seq = 0;
  // The armed window [from, to], wall-clock; nothing is recorded outside it.
  let from = Infinity;
  let to = -Infinity;
  let frames = [];
  let lastFrame = 0;
  let eventDelays = [];
  let batchDelays = [];
  let pageDelays = [];
  let received = 0;
  let shown = 0;
  let pending = [];
  const endings = [];
  const longTasks = [];
  const wall = (time) => performance.timeOrigin + time;
  const inWindow = (time) => time >= from && time <= to;
  const takeLongTasks = (entries) => {
    for (const entry of entries) longTasks.push([wall(entry.startTime), entry.duration]);
  };
  const observer = new PerformanceObserver((list) => takeLongTasks(list.getEntries()));
  observer.observe({ type: 'longtask', buffered: true });
  const record = (end, batches) => {
    if (!inWindow(end)) return;
    for (const batch of batches) {
      batchDelays.push(end - batch.sentAt);
      pageDelays.push(end - batch.arrivedAt);
      for (let i = 0; i < batch.handled; i += 1) eventDelays.push(end - batch.updates[i].at);
      shown += batch.handled;
    }
  };
  // The app's chart lines are drawn by a worker that answers each message once done with it, one
  // message in flight at a time. Messages posted to workers, and answers, counted: a frame's batches
  // are on screen when the first message posted after its rAF began has been answered.
  let posts = 0;
  let answers = 0;
  let workerAnswers = 0;
  const awaitingWorker = [];
  const NativeWorker = window.Worker;
  window.Worker = class extends NativeWorker {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', () => {
        const now = Date.now();
        answers += 1;
        if (inWindow(now)) workerAnswers += 1;
        while (awaitingWorker.length > 0 && answers > awaitingWorker[0].postsBefore) {
          const { frameEnd, batches } = awaitingWorker.shift();
          record(Math.max(frameEnd, now), batches);
        }
      });
    }
    postMessage(...args) {
      posts += 1;
      return super.postMessage(...args);
    }
  };
  // Posted from rAF, a message runs after that frame's style, layout and paint: the frame's end.
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    const end = Date.now();
    const { batches, postsBefore } = endings.shift() ?? { batches: [], postsBefore: posts };
    // The frame posted to the worker, or one was in flight, and the first message posted since its rAF
    // (which has this frame's lines) is not answered yet: the batches wait for that answer.
    const drawnSince = answers > postsBefore;
    if (!drawnSince && (posts > postsBefore || answers < posts)) awaitingWorker.push({ postsBefore, frameEnd: end, batches });
    else record(end, batches);
  };
  // Registered again inside every frame, so it runs before the renderer's own rAF work of the next.
  const tick = (time) => {
    const now = wall(time);
    if (now >= from && (frames.length === 0 || frames[frames.length - 1] <= to)) {
      if (frames.length === 0 && lastFrame > 0) frames.push(lastFrame);
      frames.push(now);
    }
    lastFrame = now;
    if (pending.length > 0) {
      endings.push({ batches: pending, postsBefore: posts });
      pending = [];
      channel.port2.postMessage(0);
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);

  // Like Electron's IPC, each event reaches the page as a task of its own, pushed from the bench.
  const take = (message) => {
    const [name, payload, sentAt] = JSON.parse(message.data);
    if (name !== 'onCounterBatch') return emit([[name, payload]]);
    seq += 1;
    const batch = { updates: payload, sentAt, arrivedAt: Date.now(), handled: payload.length };
    const before = handledSoFar();
    emit([[name, { seq, updates: payload }]]);
    if (before !== null) batch.handled = Math.min(batch.handled, handledSoFar() - before);
    if (inWindow(Date.now())) received += batch.handled;
    pending.push(batch);
  };

  const probe = {
    /** Listens to the bench's event stream, each message an entry [event, payload, sentAt]; resolves once connected. */
    listen(url) {
      const source = new EventSource(url);
      source.onmessage = take;
      return new Promise((done, failed) => {
        source.onopen = () => done();
        source.onerror = () => source.readyState === EventSource.CLOSED && failed(new Error('The bench event stream closed.'));
      });
    },
    /** Sends steps of history, one batch per stepsPerBatch steps, yielding a task between batches. */
    async history(spec) {
      const sink = typeof window[config.history] === 'function' ? window[config.history] : (batch) => emit([['onCounterBatch', batch]]);
      for (let first = spec.from; first < spec.to; first += spec.stepsPerBatch) {
        const last = Math.min(spec.to, first + spec.stepsPerBatch);
        const updates = [];
        for (let step = first; step < last; step += 1) {
          const at = spec.startAt + step * spec.stepMs;
          for (let i = 0; i < spec.series.length; i += 1) {
            const value = spec.base[i] + step;
            updates.push({ groupID: spec.series[i][0], key: spec.series[i][1], value: String(value), previous: String(value - 1), at });
          }
        }
        seq += 1;
        sink({ seq, updates });
        await new Promise((done) => setTimeout(done, 0));
      }
      if (typeof window[config.historyDone] === 'function') window[config.historyDone]();
    },
    /** Records from \`startAt\` to \`endAt\` (wall-clock ms), whatever the page is busy with then. */
    arm(range) {
      frames = [];
      eventDelays = [];
      batchDelays = [];
      pageDelays = [];
      received = 0;
      shown = 0;
      workerAnswers = 0;
      from = range.startAt;
      to = range.endAt;
    },
    collect() {
      takeLongTasks(observer.takeRecords());
      const now = wall(performance.now());
      if (frames.length === 0 && lastFrame > 0) frames.push(lastFrame);
      if ((frames[frames.length - 1] ?? 0) <= to) frames.push(Math.max(now, frames[frames.length - 1] ?? 0));
      const tasks = [];
      for (const [start, duration] of longTasks) {
        const clipped = Math.min(start + duration, to) - Math.max(start, from);
        if (clipped > 0) tasks.push([start, clipped]);
      }
      from = Infinity;
      to = -Infinity;
      return { frames, eventDelays, batchDelays, pageDelays, longTasks: tasks, received, shown, workerAnswers };
    },
  };
  Object.defineProperty(window, config.probe, { value: Object.freeze(probe) });
})();`;
}

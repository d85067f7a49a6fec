import { median, percentile } from '../report';
import type { SteadyRun } from './scenarios';

/** The 60 Hz frame budget, ms. */
export const FRAME_BUDGET_MS = 16.7;
/** rAF timestamps of an idle page jitter by a few tenths of a millisecond around 16.7. */
export const FRAME_JITTER_MS = 0.3;

/** One steady run reduced to the figures the tables show. */
export interface SteadyFigures {
  frameP50: number;
  frameP95: number;
  frameMax: number;
  /** The share of frames that came later than the budget (and its jitter) after the one before. */
  lateShare: number;
  longTasks: number;
  /** Long-task time per second of window, ms. */
  longTaskMsPerSecond: number;
  eventP50: number;
  eventP95: number;
  batchP95: number;
  pageP50: number;
  pageP95: number;
  /** Updates painted per second of window. */
  shownPerSecond: number;
  /** Frames of chart lines the app's lines worker drew per second of window. */
  linesFramesPerSecond: number;
  /** Whether the page painted about what was sent (else its backlog, and delay, grows while the stream lasts). */
  keptUp: boolean;
  msPerUpdate: number | null;
}

/** A run keeps up when it paints at least 80% of what was sent in the window (the rest is in flight at its end) and less than a second of events waits in the bench. */
const KEEP_UP_SHARE = 0.8;

/** The figures of one run. */
export function figuresOf(run: SteadyRun, windowMs: number): SteadyFigures {
  const { frames, longTasks, eventDelays, batchDelays, pageDelays, shown, workerAnswers } = run.reading;
  const intervals = frames.slice(1).map((time, i) => time - frames[i]!);
  const seconds = windowMs / 1_000;
  return {
    frameP50: percentile(intervals, 50),
    frameP95: percentile(intervals, 95),
    frameMax: intervals.length > 0 ? Math.max(...intervals) : Number.NaN,
    lateShare: intervals.length > 0 ? intervals.filter((interval) => interval > FRAME_BUDGET_MS + FRAME_JITTER_MS).length / intervals.length : Number.NaN,
    longTasks: longTasks.length,
    longTaskMsPerSecond: longTasks.reduce((sum, [, duration]) => sum + duration, 0) / seconds,
    eventP50: percentile(eventDelays, 50),
    eventP95: percentile(eventDelays, 95),
    batchP95: percentile(batchDelays, 95),
    pageP50: percentile(pageDelays, 50),
    pageP95: percentile(pageDelays, 95),
    shownPerSecond: shown / seconds,
    linesFramesPerSecond: workerAnswers / seconds,
    keptUp: shown >= KEEP_UP_SHARE * run.sent,
    msPerUpdate: run.msPerUpdate,
  };
}

/** The median of each figure over several runs; the case kept up if most runs did. */
export function medianFigures(runs: readonly SteadyFigures[]): SteadyFigures {
  const of = (pick: (figures: SteadyFigures) => number): number => median(runs.map(pick).filter((value) => Number.isFinite(value)));
  const costs = runs.map((run) => run.msPerUpdate).filter((cost): cost is number => cost !== null);
  return {
    frameP50: of((run) => run.frameP50),
    frameP95: of((run) => run.frameP95),
    frameMax: of((run) => run.frameMax),
    lateShare: of((run) => run.lateShare),
    longTasks: of((run) => run.longTasks),
    longTaskMsPerSecond: of((run) => run.longTaskMsPerSecond),
    eventP50: of((run) => run.eventP50),
    eventP95: of((run) => run.eventP95),
    batchP95: of((run) => run.batchP95),
    pageP50: of((run) => run.pageP50),
    pageP95: of((run) => run.pageP95),
    shownPerSecond: of((run) => run.shownPerSecond),
    linesFramesPerSecond: of((run) => run.linesFramesPerSecond),
    keptUp: runs.filter((run) => run.keptUp).length * 2 > runs.length,
    msPerUpdate: costs.length > 0 ? median(costs) : null,
  };
}

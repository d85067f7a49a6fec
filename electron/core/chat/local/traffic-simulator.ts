import type { Result } from '../../../../shared/result';
import type { Clock, TimerHandle } from '../../clock';
import type { LogFn } from './service-port';

export type TrafficMetric = 'viewers' | 'likes' | 'gifts';

/** Events per second for each counter the simulator moves; omitted ones keep their rate. */
export type TrafficRates = Partial<Record<TrafficMetric, number>>;

/** Moves a live room's viewers, likes and gifts like a busy broadcast; off until started. */
export interface TrafficSimulator {
  readonly running: boolean;
  start(): void;
  stop(): void;
  /** Sets rates (events per second, 0 … MAX_RATE) for a group; throws a clear Error on a bad one. */
  setRates(groupID: string, rates: TrafficRates): void;
  /** The group's current rates, or null if none were ever set. */
  getRates(groupID: string): Readonly<Record<TrafficMetric, number>> | null;
}

/** What the simulator needs from the service: writes as the system, without budget or membership. */
export interface SimulatorHost {
  hasGroup(groupID: string): boolean;
  counterValue(groupID: string, key: string): bigint | undefined;
  systemWrite(groupID: string, key: string, delta: bigint): Result<unknown>;
}

export const TICK_MS = 100;
export const MAX_RATE = 1000;
export const DEFAULT_LIVE_RATES: Readonly<Record<TrafficMetric, number>> = { viewers: 2, likes: 12, gifts: 0.5 };

const METRICS: readonly TrafficMetric[] = ['viewers', 'likes', 'gifts'];
/** The longest gap made up in one tick, so a machine waking from sleep gets no flood of writes. */
const MAX_CATCH_UP_MS = 1000;
/** Slack for the float sums of fractional rates (0.1 × 10 is not quite 1). */
const EPSILON = 1e-9;

interface Lane {
  rates: Record<TrafficMetric, number>;
  /** Fractions of an event carried over to the next tick. */
  carry: Record<TrafficMetric, number>;
}

/** The simulator of one local service. */
export class Simulator implements TrafficSimulator {
  private readonly lanes = new Map<string, Lane>();
  private timer: TimerHandle | null = null;
  private lastTick = 0;
  private disposed = false;

  constructor(
    private readonly host: SimulatorHost,
    private readonly clock: Clock,
    private readonly random: () => number,
    private readonly log: LogFn,
    liveRooms: Iterable<string>,
  ) {
    for (const groupID of liveRooms) this.lanes.set(groupID, newLane(DEFAULT_LIVE_RATES));
  }

  get running(): boolean {
    return this.timer !== null;
  }

  start(): void {
    if (this.disposed) throw new Error('The local service is closed: its traffic simulator cannot start.');
    if (this.running) return;
    this.lastTick = this.clock.now();
    this.schedule();
  }

  stop(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  /** Stops for good (the service is closing). */
  dispose(): void {
    this.stop();
    this.disposed = true;
  }

  setRates(groupID: string, rates: TrafficRates): void {
    if (!this.host.hasGroup(groupID)) throw new Error(`There is no group "${groupID}" to simulate traffic in.`);
    const given = Object.entries(rates).filter(([, rate]) => rate !== undefined);
    for (const [metric, rate] of given) {
      if (!METRICS.includes(metric as TrafficMetric)) {
        throw new Error(`"${metric}" is not a simulated counter; use ${METRICS.join(', ')}.`);
      }
      if (typeof rate !== 'number' || !Number.isFinite(rate) || rate < 0 || rate > MAX_RATE) {
        throw new Error(`The ${metric} rate must be a number of events per second from 0 to ${MAX_RATE}; got ${rate}.`);
      }
    }
    const lane = this.lanes.get(groupID) ?? newLane({ viewers: 0, likes: 0, gifts: 0 });
    for (const [metric, rate] of given) lane.rates[metric as TrafficMetric] = rate;
    this.lanes.set(groupID, lane);
  }

  getRates(groupID: string): Readonly<Record<TrafficMetric, number>> | null {
    const lane = this.lanes.get(groupID);
    return lane === undefined ? null : { ...lane.rates };
  }

  private schedule(): void {
    this.timer = this.clock.setTimeout(() => {
      this.schedule();
      this.tick();
    }, TICK_MS);
  }

  private tick(): void {
    const now = this.clock.now();
    const elapsed = Math.min(now - this.lastTick, MAX_CATCH_UP_MS);
    this.lastTick = now;
    for (const [groupID, lane] of this.lanes) {
      for (const metric of METRICS) {
        lane.carry[metric] += (lane.rates[metric] * elapsed) / 1000;
        while (lane.carry[metric] >= 1 - EPSILON) {
          lane.carry[metric] -= 1;
          this.step(groupID, lane, metric);
        }
      }
    }
  }

  /** One event: viewers walk up or down, likes and gifts only go up. */
  private step(groupID: string, lane: Lane, metric: TrafficMetric): void {
    const delta = metric === 'viewers' ? this.viewerStep(groupID) : 1n;
    const written = this.host.systemWrite(groupID, metric, delta);
    if (written.ok) return;
    // A full or overflowing group would fail on every tick: stop this counter and say why once.
    lane.rates[metric] = 0;
    lane.carry[metric] = 0;
    this.log('warn', `Traffic simulator stopped ${metric} in "${groupID}": ${written.error.message}`);
  }

  private viewerStep(groupID: string): bigint {
    // A random walk that never goes below zero: from zero the only way is up.
    if ((this.host.counterValue(groupID, 'viewers') ?? 0n) <= 0n) return 1n;
    return this.random() < 0.5 ? -1n : 1n;
  }
}

function newLane(rates: Readonly<Record<TrafficMetric, number>>): Lane {
  return { rates: { ...rates }, carry: { viewers: 0, likes: 0, gifts: 0 } };
}

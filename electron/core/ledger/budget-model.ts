import type { BudgetWindow } from '../../../shared/types';
import { FixedWindow } from '../fixed-window';

export interface BudgetModelOptions {
  /** Calls per window, as the SDK allows. */
  limit: number;
  /** The SDK's window length. */
  windowMs: number;
  /** Extra wait before trusting that the SDK's window has closed: its clock reading comes a moment after ours. */
  marginMs: number;
  /** Calls a window may spend at once; the rest are spread evenly over the window. */
  burst: number;
}

/**
 * The ledger's model of one SDK budget: the SDK's own fixed window, with a safety margin around its
 * edge. The SDK reads its clock a moment after the ledger does, so near the edge the two could
 * disagree on which window a call falls in; the ledger therefore sends nothing from `margin` before
 * the window closes until `margin` after, and every call it lets through is one the SDK accepts.
 * After the first `burst` calls of a window the remaining slots are spread evenly over the rest of
 * it, so a sustained stream is merged into paced calls instead of spending the window at once.
 */
export class BudgetModel {
  private readonly window: FixedWindow;
  private blockedUntil = 0;
  private consecutiveRefusals = 0;

  constructor(private readonly options: BudgetModelOptions) {
    // Stretched by the margin: the model reopens only once the SDK's window has surely closed.
    this.window = new FixedWindow(options.limit, options.windowMs + options.marginMs);
  }

  /** The earliest instant, not before `now`, at which the next call may go out. */
  nextSlotAt(now: number): number {
    const at = Math.max(now, this.blockedUntil);
    const used = this.window.used(at);
    const closesAt = this.window.closesAt();
    if (used === 0 || closesAt === null) return at;
    const { limit, burst, windowMs, marginMs } = this.options;
    const openedAt = closesAt - this.window.windowMs;
    const usableSpan = windowMs - marginMs;
    const reopensAt = closesAt + 1;
    if (used >= limit || at > openedAt + usableSpan) return reopensAt;
    if (used < burst) return at;
    const pacedAt = openedAt + Math.ceil(((used - burst + 1) * usableSpan) / (limit - burst + 1));
    return Math.max(at, pacedAt);
  }

  /** Whether a call may go out at `now`. */
  canSend(now: number): boolean {
    return this.nextSlotAt(now) <= now;
  }

  /** Records a call sent at `now`. */
  record(now: number): void {
    this.window.call(now);
  }

  /** The SDK refused a call the model allowed: wait a whole window before trusting the model again. */
  refused(now: number): void {
    this.blockedUntil = now + this.window.windowMs + 1;
    this.consecutiveRefusals += 1;
  }

  /** A call went through: the model and the SDK agree again. */
  accepted(): void {
    this.consecutiveRefusals = 0;
  }

  get refusals(): number {
    return this.consecutiveRefusals;
  }

  /** The budget as the operator sees it. */
  snapshot(now: number, queued: number, inFlight: number): BudgetWindow {
    const blocked = now < this.blockedUntil;
    const used = blocked ? this.options.limit : this.window.used(now);
    const closesAt = this.window.closesAt();
    return {
      limit: this.options.limit,
      used,
      left: this.options.limit - used,
      windowEndsAt: blocked ? this.blockedUntil : used > 0 ? closesAt : null,
      nextSlotAt: this.nextSlotAt(now),
      queued,
      inFlight,
      refusals: this.consecutiveRefusals,
    };
  }
}

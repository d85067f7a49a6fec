import { ErrorCode, type ErrorInfo } from '../../shared/errors';
import type { SessionSnapshot } from '../../shared/types';
import type { Clock } from './clock';
import { WakeTimer } from './wake-timer';

/** Failures that may pass by themselves: the link, not the credentials. */
const TRANSIENT = new Set<number>([
  ErrorCode.NETWORK_ERROR,
  ErrorCode.NETWORK_TIMEOUT,
  ErrorCode.NO_NETWORK,
  ErrorCode.SDK_NOT_READY,
  ErrorCode.SIGN_IN_TIMEOUT,
  ErrorCode.CANNOT_REACH,
  ErrorCode.SERVICE_OVERLOADED,
]);

const FIRST_DELAY_MS = 1_000;
const MAX_DELAY_MS = 60_000;

/** Whether a failed session is worth signing in again without the operator. */
export function isTransient(reason: ErrorInfo | null): boolean {
  return reason !== null && TRANSIENT.has(reason.code);
}

/**
 * Signs a session in again after it failed for a transient reason, once it had been ready: with
 * exponential backoff and jitter, so many clients do not return at once. The SDK reconnects its own
 * link; this only covers a lost sign-in. Kick-outs and bad credentials wait for the operator.
 */
export class Relogin {
  private attempts = 0;
  private wasReady = false;
  private readonly timer: WakeTimer;

  constructor(
    clock: Clock,
    signIn: () => Promise<void>,
    private readonly random: () => number = Math.random,
  ) {
    this.timer = new WakeTimer(clock, () => void signIn().catch(() => {}));
  }

  /** Follows the session's state. */
  observe(snapshot: SessionSnapshot): void {
    if (snapshot.state === 'ready') {
      this.wasReady = true;
      this.attempts = 0;
    } else if (snapshot.state === 'failed' && this.wasReady && isTransient(snapshot.reason)) {
      this.timer.in(this.nextDelay());
    } else if (snapshot.state !== 'signing-in') {
      this.timer.cancel();
    }
  }

  cancel(): void {
    this.timer.cancel();
  }

  private nextDelay(): number {
    const base = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** this.attempts);
    this.attempts += 1;
    return Math.round(base * (0.5 + this.random()));
  }
}

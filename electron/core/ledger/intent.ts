import { CountdeckError, type ErrorInfo } from '../../../shared/errors';

/** The confirmed values of a write, per key, as the service answered them. */
export type ConfirmedValues = Map<string, bigint>;

/**
 * One operator action (a set of several keys, or one increase or decrease) waiting in the ledger.
 * It is carried by one or more calls, one part per key, and settles once every part has.
 */
export class Intent {
  private remaining: number;
  private readonly confirmed: ConfirmedValues = new Map();
  private done = false;
  private settledListener: ((failure: ErrorInfo | null) => void) | null = null;

  constructor(
    readonly id: number,
    readonly groupID: string,
    readonly enqueuedAt: number,
    partCount: number,
    private readonly resolve: (values: ConfirmedValues) => void,
    private readonly reject: (error: CountdeckError) => void,
  ) {
    this.remaining = partCount;
  }

  get settled(): boolean {
    return this.done;
  }

  /** Hears once when the intent settles: null when confirmed, else why it failed. */
  onSettled(listener: (failure: ErrorInfo | null) => void): void {
    this.settledListener = listener;
  }

  /** One key's part was carried by a call that succeeded; `value` is absent when nothing was sent. */
  confirmPart(key: string, value: bigint | undefined): void {
    if (this.done) return;
    if (value !== undefined) this.confirmed.set(key, value);
    this.remaining -= 1;
    if (this.remaining === 0) {
      this.done = true;
      this.settledListener?.(null);
      this.resolve(this.confirmed);
    }
  }

  /** The call carrying one of its parts failed: the whole intent fails with that reason. */
  fail(error: ErrorInfo): void {
    if (this.done) return;
    this.done = true;
    this.settledListener?.(error);
    this.reject(CountdeckError.from(error));
  }
}

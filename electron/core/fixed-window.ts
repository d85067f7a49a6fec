/**
 * The SDK's rate limit for one command, as `@tencentcloud/chat` implements it: a fixed window that
 * opens at the first call, counts every call (refused ones too), refuses once the count passes the
 * limit, and reopens at the first call made more than `windowMs` after it opened.
 */
export class FixedWindow {
  private openedAt: number | null = null;
  private count = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Records a call made at `now`; false when the SDK would refuse it with 2996. */
  call(now: number): boolean {
    if (this.isClosed(now)) {
      this.openedAt = now;
      this.count = 1;
      return true;
    }
    this.count += 1;
    return this.count <= this.limit;
  }

  /** Calls counted in the window that is open at `now` (0 when it has closed). */
  used(now: number): number {
    return this.isClosed(now) ? 0 : this.count;
  }

  /** When the open window closes: a call after this instant opens a new one. Null before any call. */
  closesAt(): number | null {
    return this.openedAt === null ? null : this.openedAt + this.windowMs;
  }

  private isClosed(now: number): boolean {
    return this.openedAt === null || now - this.openedAt > this.windowMs;
  }
}

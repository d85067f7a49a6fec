import { ErrorCode } from '../../../../shared/errors';
import { isExactAsNumber } from '../../../../shared/int64';
import { ChatError, type CounterMap, type CounterReply } from '../chat-like';
import type { SdkCounters } from './sdk-surface';

/** A value the SDK sent as a number, as an exact bigint where the number was exact. */
export function fromSdkNumber(value: number): { value: bigint; inexact: boolean } {
  const whole = Number.isFinite(value) ? Math.trunc(value) : 0;
  return { value: BigInt(whole), inexact: !Number.isSafeInteger(value) };
}

/** Counters from the SDK, with the keys whose values may not be exact. */
export function fromSdkCounters(counters: SdkCounters): CounterReply {
  const exact: CounterMap = {};
  const inexact: string[] = [];
  for (const [key, raw] of Object.entries(counters)) {
    const converted = fromSdkNumber(raw);
    exact[key] = converted.value;
    if (converted.inexact) inexact.push(key);
  }
  return inexact.length === 0 ? { counters: exact } : { counters: exact, inexact };
}

/** A value to send through the SDK; refused when a JS number cannot carry it exactly. */
export function toSdkNumber(value: bigint): number {
  if (!isExactAsNumber(value)) {
    throw new ChatError(
      ErrorCode.VALUE_NOT_EXACT,
      `${value} cannot be sent exactly: Tencent Cloud carries values as JavaScript numbers, exact only within ±9007199254740991.`,
    );
  }
  return Number(value);
}

/** Counters to send through the SDK, each exact or the whole call refused. */
export function toSdkCounters(counters: CounterMap): SdkCounters {
  return Object.fromEntries(Object.entries(counters).map(([key, value]) => [key, toSdkNumber(value)]));
}

/**
 * The SDK's own parameter check: wrong types throw synchronously, with this exact message and no
 * code, before the login state or the budget is looked at. Values are checked later, by the service.
 */
const PARAMS_FAILED = 'Params validate failed.';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function check(condition: boolean): void {
  if (!condition) throw new Error(PARAMS_FAILED);
}

/** Throws unless `options.groupID` is a string (joinGroup). */
export function assertGroupParams(options: unknown): void {
  check(isRecord(options) && typeof options.groupID === 'string');
}

/** Throws unless the options fit getGroupCounters: a groupID, and keyList absent or a list of strings. */
export function assertGetParams(options: unknown): void {
  assertGroupParams(options);
  const keyList = (options as Record<string, unknown>).keyList;
  check(keyList === undefined || (Array.isArray(keyList) && keyList.every((key) => typeof key === 'string')));
}

/** Throws unless the options fit setGroupCounters: a groupID and an object of bigint values. */
export function assertSetParams(options: unknown): void {
  assertGroupParams(options);
  const counters = (options as Record<string, unknown>).counters;
  check(isRecord(counters) && Object.values(counters).every((value) => typeof value === 'bigint'));
}

/** Throws unless the options fit increase/decreaseGroupCounter: a groupID, a string key, a bigint value. */
export function assertDeltaParams(options: unknown): void {
  assertGroupParams(options);
  const { key, value } = options as Record<string, unknown>;
  check(typeof key === 'string' && typeof value === 'bigint');
}

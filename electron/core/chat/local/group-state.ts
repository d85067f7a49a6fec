import { ErrorCode } from '../../../../shared/errors';
import { isInt64 } from '../../../../shared/int64';
import { INT64_MAX, INT64_MIN, TOPIC_ID_MARKER } from '../../../../shared/limits';
import { fail, ok, type Result } from '../../../../shared/result';
import type { GroupType } from '../../../../shared/types';
import { checkCounterCapacity, validateKey } from '../../../../shared/validation';
import type { ChatGroup, CounterMap } from '../chat-like';

/** One group as the local service holds it. */
export interface GroupRecord {
  readonly groupID: string;
  readonly name: string;
  readonly type: GroupType;
  readonly members: Set<string>;
  readonly counters: Map<string, bigint>;
  /** Grows by one with every successful write. */
  seq: number;
}

/** A counter write as it reaches the service; `value` of increase/decrease is the delta. */
export type CounterWrite =
  | { kind: 'set'; counters: ReadonlyMap<string, bigint> }
  | { kind: 'increase' | 'decrease'; key: string; value: bigint };

const RANGE = `the signed 64-bit range ${INT64_MIN} … ${INT64_MAX}`;

/** Finds a group a user (or the system, `null`) may use: topic, existence and membership checks. */
export function findGroup(
  groups: ReadonlyMap<string, GroupRecord>,
  groupID: string,
  userID: string | null,
): Result<GroupRecord> {
  if (groupID.includes(TOPIC_ID_MARKER)) {
    return fail(
      ErrorCode.TOPIC_NOT_SUPPORTED,
      `"${groupID}" is a Community topic: group counters exist on every group type except topics.`,
    );
  }
  const group = groups.get(groupID);
  if (group === undefined) {
    return fail(ErrorCode.GROUP_NOT_FOUND, `Group "${groupID}" does not exist or was dismissed.`);
  }
  if (userID !== null && !group.members.has(userID)) {
    return fail(ErrorCode.NO_PERMISSION, `"${userID}" is not a member of group "${groupID}".`);
  }
  return ok(group);
}

/** Works out the new values a write would give, changing nothing; refuses it whole if any part is wrong. */
export function planWrite(group: GroupRecord, write: CounterWrite): Result<Map<string, bigint>> {
  return write.kind === 'set' ? planSet(group, write.counters) : planDelta(group, write.kind, write.key, write.value);
}

function planSet(group: GroupRecord, counters: ReadonlyMap<string, bigint>): Result<Map<string, bigint>> {
  if (counters.size === 0) return fail(ErrorCode.INVALID_PARAMETER, 'Give at least one counter to set.');
  for (const [key, value] of counters) {
    const checked = validateKey(key);
    if (!checked.ok) return checked;
    if (!isInt64(value)) return fail(ErrorCode.VALUE_OUT_OF_RANGE, `${key}: ${value} is outside ${RANGE}.`);
  }
  // Only new keys can take the group past its 20.
  const capacity = [...counters.keys()].every((key) => group.counters.has(key)) ? ok(true) : checkCounterCapacity(group.counters.keys(), counters.keys());
  return capacity.ok ? ok(new Map(counters)) : capacity;
}

function planDelta(
  group: GroupRecord,
  kind: 'increase' | 'decrease',
  key: string,
  delta: bigint,
): Result<Map<string, bigint>> {
  const checked = validateKey(key);
  if (!checked.ok) return checked;
  if (!isInt64(delta)) return fail(ErrorCode.VALUE_OUT_OF_RANGE, `The change ${delta} is outside ${RANGE}.`);
  const capacity = group.counters.has(key) ? ok(true) : checkCounterCapacity(group.counters.keys(), [key]);
  if (!capacity.ok) return capacity;
  // A missing key counts from 0, as the service creates it before applying the delta.
  const before = group.counters.get(key) ?? 0n;
  const after = kind === 'increase' ? before + delta : before - delta;
  if (!isInt64(after)) {
    return fail(
      ErrorCode.RESULT_OUT_OF_RANGE,
      `To ${kind} "${key}" by ${delta} would take it from ${before} to ${after}, outside ${RANGE}; nothing changed.`,
    );
  }
  return ok(new Map([[key, after]]));
}

/** Applies planned values and bumps the group's sequence; returns the new sequence. */
export function commitWrite(group: GroupRecord, values: ReadonlyMap<string, bigint>): number {
  for (const [key, value] of values) group.counters.set(key, value);
  group.seq += 1;
  return group.seq;
}

/** The group's counters, all of them or those named in `keyList` (missing keys are simply absent). */
export function readCounters(group: GroupRecord, keyList: readonly string[] | undefined): CounterMap {
  const wanted = keyList === undefined || keyList.length === 0 ? null : new Set(keyList);
  const entries = [...group.counters].filter(([key]) => wanted === null || wanted.has(key));
  // fromEntries defines own properties, so a key such as "__proto__" stays an ordinary counter.
  return Object.fromEntries(entries);
}

/** The SDK's summary of a group. */
export function toChatGroup(group: GroupRecord): ChatGroup {
  return { groupID: group.groupID, name: group.name, type: group.type, memberCount: group.members.size };
}

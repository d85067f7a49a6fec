import { ErrorCode } from '../../../../shared/errors';
import { fail, ok, type Result } from '../../../../shared/result';
import type { ChatGroup, JoinStatus } from '../chat-like';
import { findGroup, toChatGroup, type GroupRecord } from './group-state';

export interface JoinOutcome {
  status: JoinStatus;
  group: ChatGroup;
  /** Whether membership changed (and so needs saving). */
  changed: boolean;
}

/** The groups a user is a member of, in the service's order. */
export function groupsOf(groups: ReadonlyMap<string, GroupRecord>, userID: string): ChatGroup[] {
  return [...groups.values()].filter((group) => group.members.has(userID)).map(toChatGroup);
}

/**
 * Joins a user to a group by ID. Private groups are invitation-only; without `unlimitedAVChatRoom`
 * a user is in one live-stream room at a time, so joining another leaves the first (as the SDK does).
 */
export function joinGroup(
  groups: ReadonlyMap<string, GroupRecord>,
  userID: string,
  groupID: string,
  unlimitedAVChatRoom: boolean,
): Result<JoinOutcome> {
  const found = findGroup(groups, groupID, null);
  if (!found.ok) return found;
  const group = found.value;
  if (group.members.has(userID)) return ok({ status: 'AlreadyInGroup', group: toChatGroup(group), changed: false });
  if (group.type === 'Private') {
    return fail(ErrorCode.NO_PERMISSION, `"${groupID}" is a private group: members join by invitation only.`);
  }
  if (group.type === 'AVChatRoom' && !unlimitedAVChatRoom) {
    for (const other of groups.values()) {
      if (other.type === 'AVChatRoom') other.members.delete(userID);
    }
  }
  group.members.add(userID);
  return ok({ status: 'JoinedSuccess', group: toChatGroup(group), changed: true });
}

import { ErrorCode } from '../../../../shared/errors';
import { fail, ok, type Result } from '../../../../shared/result';
import type { ChatGroup, JoinStatus } from '../chat-like';
import { findGroup, toChatGroup, type GroupRecord } from './group-state';

/** What joining a group changes: the group joined, and the live rooms left for it. */
export interface MembershipChange {
  joined: string;
  left: string[];
}

export interface PlannedJoin {
  status: JoinStatus;
  /** Null when the user is a member already. */
  change: MembershipChange | null;
}

/** The groups a user is a member of, in the service's order. */
export function groupsOf(groups: ReadonlyMap<string, GroupRecord>, userID: string): ChatGroup[] {
  return [...groups.values()].filter((group) => group.members.has(userID)).map(toChatGroup);
}

/**
 * Works out a user joining a group by ID, changing nothing. Private groups are invitation-only;
 * without `unlimitedAVChatRoom` a user is in one live-stream room at a time, so joining another
 * leaves the first (as the SDK does).
 */
export function planJoin(
  groups: ReadonlyMap<string, GroupRecord>,
  userID: string,
  groupID: string,
  unlimitedAVChatRoom: boolean,
): Result<PlannedJoin> {
  const found = findGroup(groups, groupID, null);
  if (!found.ok) return found;
  const group = found.value;
  if (group.members.has(userID)) return ok({ status: 'AlreadyInGroup', change: null });
  if (group.type === 'Private') {
    return fail(ErrorCode.NO_PERMISSION, `"${groupID}" is a private group: members join by invitation only.`);
  }
  const left =
    group.type === 'AVChatRoom' && !unlimitedAVChatRoom
      ? [...groups.values()].filter((other) => other.type === 'AVChatRoom' && other.members.has(userID)).map((other) => other.groupID)
      : [];
  return ok({ status: 'JoinedSuccess', change: { joined: groupID, left } });
}

/** Applies a planned membership change. */
export function applyMembership(groups: ReadonlyMap<string, GroupRecord>, userID: string, change: MembershipChange): void {
  for (const groupID of change.left) groups.get(groupID)?.members.delete(userID);
  groups.get(change.joined)?.members.add(userID);
}

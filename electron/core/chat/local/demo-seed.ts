import type { GroupType } from '../../../../shared/types';
import type { GroupRecord } from './group-state';

/** What a fresh (or recovered) state holds: the demo groups, or nothing. */
export type SeedKind = 'demo' | 'empty';

/** The demo users who are members of every demo group except the one left to be joined. */
export const DEMO_USERS = ['operator', 'moderator'] as const;

interface SeedGroup {
  groupID: string;
  name: string;
  type: GroupType;
  /** False for a room nobody is in: it exists to be joined by ID. */
  staffed: boolean;
  counters: Record<string, bigint>;
}

const DEMO_GROUPS: readonly SeedGroup[] = [
  {
    groupID: 'live-friday',
    name: 'Friday Night Live',
    type: 'AVChatRoom',
    staffed: true,
    counters: { viewers: 1_284n, likes: 53_210n, gifts: 342n },
  },
  {
    groupID: 'live-karaoke',
    name: 'Karaoke Hour',
    type: 'AVChatRoom',
    staffed: false,
    counters: { viewers: 87n, likes: 1_530n, gifts: 21n },
  },
  {
    groupID: 'fan-club',
    name: 'Fan Club',
    type: 'Public',
    staffed: true,
    // Beyond 2^53 on purpose: shows that values stay exact where a JS number would not.
    counters: { members_total: 4_821n, badges: 97n, lifetime_points: 9_007_199_254_740_993n },
  },
  {
    groupID: 'mod-team',
    name: 'Moderators',
    type: 'Private',
    staffed: true,
    counters: { reports_open: 3n, bans_today: 1n },
  },
  {
    groupID: 'studio-lobby',
    name: 'Studio Lobby',
    type: 'ChatRoom',
    staffed: true,
    counters: { online: 12n, messages: 2_048n },
  },
  {
    groupID: '@TGS#_creators',
    name: 'Creators Community',
    type: 'Community',
    staffed: true,
    counters: { creators: 56n, collabs: 14n },
  },
];

/** A new state of the given kind; every call returns fresh, unshared records. */
export function createSeed(kind: SeedKind): Map<string, GroupRecord> {
  const groups = new Map<string, GroupRecord>();
  if (kind === 'empty') return groups;
  for (const seed of DEMO_GROUPS) {
    groups.set(seed.groupID, {
      groupID: seed.groupID,
      name: seed.name,
      type: seed.type,
      members: new Set<string>(seed.staffed ? DEMO_USERS : []),
      counters: new Map(Object.entries(seed.counters)),
      seq: 0,
    });
  }
  return groups;
}

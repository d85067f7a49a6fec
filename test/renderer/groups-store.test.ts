// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/errors';
import type { GroupSummary } from '../../shared/types';
import { useGroupsStore } from '../../renderer/src/stores/groups';
import { deferred, groupSummary, installFakeCountdeck, type FakeCountdeck } from './support/fake-countdeck';
import { freshPinia } from './support/mount';

const JOINED: GroupSummary[] = [
  groupSummary('team-ops', 'Ops team', 'Private', 6),
  groupSummary('fans-2025', 'Fan club', 'Public', 300),
  groupSummary('live-karaoke', 'Karaoke night', 'AVChatRoom', 5_000),
  groupSummary('community-1', 'Anime community', 'Community', 80),
  groupSummary('live-arena', 'Arena finals', 'AVChatRoom', 12_000),
  groupSummary('standup', 'Daily standup', 'ChatRoom', 12),
];

let api: FakeCountdeck;

beforeEach(() => {
  api = installFakeCountdeck();
  freshPinia();
  api.listGroups.mockResolvedValue(structuredClone(JOINED));
});

const ids = (groups: readonly GroupSummary[]) => groups.map((group) => group.groupID);

describe('load', () => {
  it('lists live rooms first, then the rest by name, and selects the first', async () => {
    const groups = useGroupsStore();
    await groups.load();

    expect(api.listGroups).toHaveBeenCalledTimes(1);
    expect(groups.status).toBe('ready');
    expect(ids(groups.visible)).toEqual(['live-arena', 'live-karaoke', 'community-1', 'standup', 'fans-2025', 'team-ops']);
    expect(groups.selectedID).toBe('live-arena');
    expect(groups.selected).toMatchObject({ name: 'Arena finals', type: 'AVChatRoom' });
  });

  it('names a group by ID, following the list, and falls back to the ID for one not listed', async () => {
    const groups = useGroupsStore();
    expect(groups.nameOf('live-arena')).toBe('live-arena');
    await groups.load();
    expect(groups.nameOf('live-arena')).toBe('Arena finals');
    expect(groups.nameOf('gone')).toBe('gone');
    api.listGroups.mockResolvedValue([groupSummary('live-arena', 'Arena grand finals', 'AVChatRoom', 12_000)]);
    await groups.load();
    expect(groups.nameOf('live-arena')).toBe('Arena grand finals');
  });

  it('keeps the selection across a reload while the group is still joined', async () => {
    const groups = useGroupsStore();
    await groups.load();
    groups.select('standup');
    await groups.load();
    expect(groups.selectedID).toBe('standup');
  });

  it('keeps the error of a failed load, with its code', async () => {
    api.listGroups.mockRejectedValueOnce({ code: ErrorCode.SDK_NOT_READY, message: 'Not ready.' });
    const groups = useGroupsStore();
    await groups.load();
    expect(groups.status).toBe('error');
    expect(groups.loadError).toMatchObject({ code: 2999, message: 'Not ready.' });
    expect(groups.selectedID).toBeNull();

    await groups.load();
    expect(groups.status).toBe('ready');
    expect(groups.loadError).toBeNull();
  });
});

describe('filter', () => {
  beforeEach(async () => {
    await useGroupsStore().load();
  });

  it('matches names, case-insensitively', () => {
    const groups = useGroupsStore();
    groups.filter = 'NIGHT';
    expect(ids(groups.visible)).toEqual(['live-karaoke']);
  });

  it('matches IDs, keeping live rooms first', () => {
    const groups = useGroupsStore();
    groups.filter = '  live-  ';
    expect(ids(groups.visible)).toEqual(['live-arena', 'live-karaoke']);
    groups.filter = '2025';
    expect(ids(groups.visible)).toEqual(['fans-2025']);
  });

  it('shows nothing when nothing matches, and everything again when cleared', () => {
    const groups = useGroupsStore();
    groups.filter = 'no such thing';
    expect(groups.visible).toEqual([]);
    groups.filter = '';
    expect(groups.visible).toHaveLength(JOINED.length);
  });
});

describe('join', () => {
  it.each([
    ['@TGS#_x@TOPIC#_y', ErrorCode.TOPIC_NOT_SUPPORTED, 'groupId.topic'],
    ['', ErrorCode.INVALID_GROUP_ID, 'groupId.empty'],
    ['g'.repeat(49), ErrorCode.GROUP_ID_TOO_LONG, 'groupId.tooLong'],
    [' padded', ErrorCode.INVALID_GROUP_ID, 'groupId.characters'],
    ['直播间', ErrorCode.INVALID_GROUP_ID, 'groupId.characters'],
  ])('refuses %j (%i, %s) without calling joinGroup', async (groupID, code, reason) => {
    const groups = useGroupsStore();
    await expect(groups.join(groupID)).resolves.toBe(false);
    expect(groups.joinError).toMatchObject({ code, reason });
    expect(groups.joining).toBe(false);
    expect(api.joinGroup).not.toHaveBeenCalled();
  });

  it('checks an ID as it is typed, leaving an untouched empty field alone', () => {
    const groups = useGroupsStore();
    expect(groups.checkJoinID('')).toBeNull();
    expect(groups.checkJoinID('live-1')).toBeNull();
    expect(groups.checkJoinID('g'.repeat(48))).toBeNull();
    expect(groups.checkJoinID('g'.repeat(49))).toMatchObject({ reason: 'groupId.tooLong', params: { max: 48, length: 49 } });
    expect(groups.checkJoinID('@TGS#_x@TOPIC#_y')).toMatchObject({ reason: 'groupId.topic' });
  });

  it('adds the joined group, selects it, and is busy while the call is open', async () => {
    const call = deferred<GroupSummary>();
    api.joinGroup.mockReturnValueOnce(call.promise);
    const groups = useGroupsStore();
    await groups.load();

    const joined = groups.join('live-new');
    expect(api.joinGroup).toHaveBeenCalledExactlyOnceWith('live-new');
    expect(groups.joining).toBe(true);
    call.resolve(groupSummary('live-new', 'New stream', 'AVChatRoom', 1));

    await expect(joined).resolves.toBe(true);
    expect(groups.joining).toBe(false);
    expect(groups.joinError).toBeNull();
    expect(groups.selectedID).toBe('live-new');
    expect(groups.selected?.name).toBe('New stream');
    expect(ids(groups.visible)).toEqual(['live-arena', 'live-karaoke', 'live-new', 'community-1', 'standup', 'fans-2025', 'team-ops']);
  });

  it('replaces a group it already lists instead of listing it twice', async () => {
    const groups = useGroupsStore();
    await groups.load();
    api.joinGroup.mockResolvedValueOnce(groupSummary('standup', 'Daily standup (renamed)', 'ChatRoom', 13));
    await groups.join('standup');
    expect(groups.groups.filter((group) => group.groupID === 'standup')).toEqual([
      groupSummary('standup', 'Daily standup (renamed)', 'ChatRoom', 13),
    ]);
  });

  it('keeps the error of a refused join, with its code, and leaves the list and selection alone', async () => {
    const groups = useGroupsStore();
    await groups.load();
    api.joinGroup.mockRejectedValueOnce({ code: ErrorCode.NO_PERMISSION, message: 'Invitation only.' });

    await expect(groups.join('private-club')).resolves.toBe(false);
    expect(groups.joinError).toMatchObject({ code: 10007, message: 'Invitation only.' });
    expect(groups.joining).toBe(false);
    expect(groups.groups).toHaveLength(JOINED.length);
    expect(groups.selectedID).toBe('live-arena');

    // A later successful join clears it.
    await expect(groups.join('fresh-group')).resolves.toBe(true);
    expect(groups.joinError).toBeNull();
  });
});

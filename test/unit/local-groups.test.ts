import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLocalService, type LocalChatClient, type LocalService } from '../../electron/core/chat/local';
import { ErrorCode } from '../../shared/errors';

let service: LocalService;
beforeEach(async () => {
  service = await openLocalService({ log: () => undefined });
});
afterEach(() => service.close());

async function signIn(userID: string, options?: { unlimitedAVChatRoom?: boolean }): Promise<LocalChatClient> {
  const client = service.createClient(options);
  await client.login({ userID, userSig: 'sig' });
  return client;
}

async function groupIDs(client: LocalChatClient): Promise<string[]> {
  const { data } = await client.getGroupList();
  return data.groupList.map((group) => group.groupID);
}

describe('local service: groups', () => {
  it('lists every demo group but the karaoke room for the demo users, nothing for others', async () => {
    const expected = ['live-friday', 'fan-club', 'mod-team', 'studio-lobby', '@TGS#_creators'];
    expect(await groupIDs(await signIn('operator'))).toEqual(expected);
    expect(await groupIDs(await signIn('moderator'))).toEqual(expected);
    expect(await groupIDs(await signIn('newcomer'))).toEqual([]);
  });

  it('describes groups in the SDK shape', async () => {
    const { data } = await (await signIn('operator')).getGroupList();
    expect(data.groupList[0]).toEqual({
      groupID: 'live-friday',
      name: 'Friday Night Live',
      type: 'AVChatRoom',
      memberCount: 2,
    });
    const types = data.groupList.map((group) => group.type);
    expect(types).toEqual(['AVChatRoom', 'Public', 'Private', 'ChatRoom', 'Community']);
  });

  it('joins a public group once, then answers AlreadyInGroup', async () => {
    const client = await signIn('newcomer');
    await expect(client.joinGroup({ groupID: 'fan-club' })).resolves.toEqual({
      code: 0,
      data: {
        status: 'JoinedSuccess',
        group: { groupID: 'fan-club', name: 'Fan Club', type: 'Public', memberCount: 3 },
      },
    });
    await expect(client.joinGroup({ groupID: 'fan-club' })).resolves.toMatchObject({
      data: { status: 'AlreadyInGroup' },
    });
    expect(await groupIDs(client)).toEqual(['fan-club']);
    await expect(client.getGroupCounters({ groupID: 'fan-club', keyList: ['badges'] })).resolves.toMatchObject({
      data: { counters: { badges: 97n } },
    });
  });

  it('refuses unknown groups (10010), topics, and private groups for non-members (10007)', async () => {
    const client = await signIn('newcomer');
    await expect(client.joinGroup({ groupID: 'no-such-group' })).rejects.toMatchObject({
      code: ErrorCode.GROUP_NOT_FOUND,
    });
    await expect(client.joinGroup({ groupID: '@TGS#_creators@TOPIC#_news' })).rejects.toMatchObject({
      code: ErrorCode.TOPIC_NOT_SUPPORTED,
      message: expect.stringContaining('topic'),
    });
    await expect(client.joinGroup({ groupID: 'mod-team' })).rejects.toMatchObject({
      code: ErrorCode.NO_PERMISSION,
      message: expect.stringContaining('invitation'),
    });
    await expect((await signIn('operator')).joinGroup({ groupID: 'mod-team' })).resolves.toMatchObject({
      data: { status: 'AlreadyInGroup' },
    });
  });

  it('joins the chat room and the community by ID', async () => {
    const client = await signIn('newcomer');
    await client.joinGroup({ groupID: 'studio-lobby' });
    await client.joinGroup({ groupID: '@TGS#_creators' });
    expect(await groupIDs(client)).toEqual(['studio-lobby', '@TGS#_creators']);
  });

  it('keeps a user in one live-stream room at a time: joining another leaves the first', async () => {
    const operator = await signIn('operator');
    await expect(operator.joinGroup({ groupID: 'live-karaoke' })).resolves.toMatchObject({
      data: { status: 'JoinedSuccess' },
    });
    const groups = await groupIDs(operator);
    expect(groups).toContain('live-karaoke');
    expect(groups).not.toContain('live-friday');
    await expect(operator.getGroupCounters({ groupID: 'live-friday' })).rejects.toMatchObject({
      code: ErrorCode.NO_PERMISSION,
    });
  });

  it('lets a client created with unlimitedAVChatRoom stay in several live rooms', async () => {
    const operator = await signIn('operator', { unlimitedAVChatRoom: true });
    await operator.joinGroup({ groupID: 'live-karaoke' });
    expect(await groupIDs(operator)).toEqual(expect.arrayContaining(['live-friday', 'live-karaoke']));
  });

  it('throws synchronously on a groupID that is not a string', async () => {
    const client = await signIn('operator');
    expect(() => client.joinGroup({ groupID: 42 as unknown as string })).toThrow('Params validate failed.');
  });
});

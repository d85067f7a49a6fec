import { afterEach, describe, expect, it, vi } from 'vitest';
import { CHAT_EVENT, type GroupCounterUpdate } from '../../electron/core/chat/chat-like';
import {
  openLocalService,
  type LocalChatClient,
  type LocalService,
  type LocalServiceOptions,
} from '../../electron/core/chat/local';
import { ErrorCode } from '../../shared/errors';
import { createFakeClock } from '../support/fake-clock';

const GROUP = 'fan-club';
let service: LocalService;
afterEach(() => service.close());

async function open(options: LocalServiceOptions = {}): Promise<LocalService> {
  service = await openLocalService({ log: () => undefined, ...options });
  return service;
}

interface Listener {
  client: LocalChatClient;
  /** Counter events as "key=value" and net states as "net:state", in arrival order. */
  heard: string[];
  updates: GroupCounterUpdate[];
}

/** A signed-in client and the log of what it heard. */
async function listener(userID: string): Promise<Listener> {
  const client = service.createClient();
  const heard: string[] = [];
  const updates: GroupCounterUpdate[] = [];
  client.on(CHAT_EVENT.GROUP_COUNTER_UPDATED, (event) => {
    updates.push(event.data);
    heard.push(`${event.data.key}=${event.data.value}`);
  });
  client.on(CHAT_EVENT.NET_STATE_CHANGE, (event) => heard.push(`net:${event.data.state}`));
  await client.login({ userID, userSig: 'sig' });
  await vi.waitFor(() => expect(heard).toContain('net:connected'), { interval: 1 });
  heard.length = 0;
  return { client, heard, updates };
}

describe('local service: GROUP_COUNTER_UPDATED', () => {
  it("reaches every signed-in member, the writer included, one event per key, with the group's new seq", async () => {
    await open();
    const operator = await listener('operator');
    const moderator = await listener('moderator');
    const stranger = await listener('stranger');
    await operator.client.setGroupCounters({ groupID: GROUP, counters: { key1: 1n, key2: 2n } });
    const expected = [
      { groupID: GROUP, key: 'key1', value: 1n, groupCounterSeq: 1 },
      { groupID: GROUP, key: 'key2', value: 2n, groupCounterSeq: 1 },
    ];
    expect(operator.updates).toEqual(expected);
    await vi.waitFor(() => expect(moderator.updates).toEqual(expected));
    expect(stranger.updates).toEqual([]);
  });

  it("carries one user's increase to another user's client", async () => {
    await open();
    const operator = await listener('operator');
    const moderator = await listener('moderator');
    await moderator.client.increaseGroupCounter({ groupID: GROUP, key: 'badges', value: 3n });
    const expected = [{ groupID: GROUP, key: 'badges', value: 100n, groupCounterSeq: 1 }];
    await vi.waitFor(() => expect(operator.updates).toEqual(expected));
  });

  it('arrives before the reply, and failed writes emit nothing', async () => {
    await open();
    const operator = await listener('operator');
    await operator.client
      .decreaseGroupCounter({ groupID: GROUP, key: 'badges', value: 7n })
      .then(() => operator.heard.push('reply'));
    await expect(operator.client.increaseGroupCounter({ groupID: GROUP, key: '', value: 1n })).rejects.toMatchObject({
      code: ErrorCode.KEY_INVALID,
    });
    expect(operator.heard).toEqual(['badges=90', 'reply']);
  });

  it('is not delivered to a client that is not logged in', async () => {
    await open();
    const operator = await listener('operator');
    const loggedOut = await listener('moderator');
    await loggedOut.client.logout();
    await operator.client.increaseGroupCounter({ groupID: GROUP, key: 'badges', value: 1n });
    await operator.client.getGroupList();
    expect(loggedOut.updates).toEqual([]);
  });
});

describe('local service: latency', () => {
  it('delivers events and replies after latencyMs on the injected clock, in order', async () => {
    const clock = createFakeClock();
    await open({ clock, latencyMs: 200 });
    const client = service.createClient();
    const seen: string[] = [];
    client.on(CHAT_EVENT.GROUP_COUNTER_UPDATED, (event) => seen.push(`event:${event.data.value}`));
    client.on(CHAT_EVENT.SDK_READY, () => seen.push('ready'));
    void client.login({ userID: 'operator', userSig: 'sig' }).then(() => seen.push('login'));
    await clock.advance(199);
    expect(seen).toEqual([]);
    await clock.advance(1);
    expect(seen).toEqual(['login']);
    await clock.advance(200);
    expect(seen).toEqual(['login', 'ready']);
    void client.increaseGroupCounter({ groupID: GROUP, key: 'badges', value: 1n }).then(() => seen.push('reply'));
    expect(service.counters(GROUP).get('badges')).toBe(98n); // applied when called
    await clock.advance(199);
    expect(seen).toEqual(['login', 'ready']);
    await clock.advance(1);
    expect(seen).toEqual(['login', 'ready', 'event:98', 'reply']);
  });
});

describe('local service: network faults', () => {
  it('reports the link going down and up, drops events meanwhile, and holds calls until reconnect', async () => {
    await open();
    const operator = await listener('operator');
    const moderator = await listener('moderator');
    moderator.client.setNetwork('disconnected');
    moderator.client.setNetwork('disconnected'); // no second event
    await operator.client.increaseGroupCounter({ groupID: GROUP, key: 'badges', value: 1n });
    const replies: string[] = [];
    const first = moderator.client.setGroupCounters({ groupID: GROUP, counters: { badges: 500n } });
    const second = moderator.client.increaseGroupCounter({ groupID: GROUP, key: 'badges', value: 1n });
    void first.then((reply) => replies.push(`first:${reply.data.counters.badges}`));
    void second.then((reply) => replies.push(`second:${reply.data.counters.badges}`));
    await operator.client.getGroupList();
    expect(service.counters(GROUP).get('badges')).toBe(98n);
    expect(moderator.heard).toEqual(['net:disconnected']);

    moderator.client.setNetwork('connected');
    await Promise.all([first, second]);
    expect(replies).toEqual(['first:500', 'second:501']);
    expect(moderator.heard).toEqual(['net:disconnected', 'net:connected', 'badges=500', 'badges=501']);
    expect(operator.heard).toEqual(['badges=98', 'badges=500', 'badges=501']);
  });

  it('drops an event sent while the link was down, even if it is back before delivery', async () => {
    await open();
    const operator = await listener('operator');
    const moderator = await listener('moderator');
    moderator.client.setNetwork('disconnected');
    await operator.client.increaseGroupCounter({ groupID: GROUP, key: 'badges', value: 1n });
    void operator.client.increaseGroupCounter({ groupID: GROUP, key: 'badges', value: 1n });
    moderator.client.setNetwork('connected');
    await operator.client.getGroupList();
    expect(moderator.heard).toEqual(['net:disconnected', 'net:connected']);
  });

  it('drops an event whose client loses the link while it is on its way', async () => {
    const clock = createFakeClock();
    await open({ clock, latencyMs: 50 });
    const operator = service.createClient();
    const updates = vi.fn();
    operator.on(CHAT_EVENT.GROUP_COUNTER_UPDATED, updates);
    void operator.login({ userID: 'operator', userSig: 'sig' });
    await clock.advance(100);
    void operator.increaseGroupCounter({ groupID: GROUP, key: 'badges', value: 1n });
    operator.setNetwork('disconnected');
    await clock.advance(100);
    expect(updates).not.toHaveBeenCalled();
  });

  it('counts held calls against the budget when they are made', async () => {
    await open();
    const { client } = await listener('operator');
    client.setNetwork('disconnected');
    const bump = () => client.increaseGroupCounter({ groupID: GROUP, key: 'badges', value: 1n });
    const held = Array.from({ length: 20 }, bump);
    await expect(bump()).rejects.toMatchObject({ code: ErrorCode.OVER_FREQUENCY_LIMIT });
    client.setNetwork('connected');
    await Promise.all(held);
    expect(service.counters(GROUP).get('badges')).toBe(117n);
  });

  it('fails held calls with 2999 when the session ends before they were sent', async () => {
    await open();
    const { client } = await listener('operator');
    client.setNetwork('disconnected');
    const held = client.increaseGroupCounter({ groupID: GROUP, key: 'badges', value: 1n });
    await client.logout();
    await expect(held).rejects.toMatchObject({ code: ErrorCode.SDK_NOT_READY });
    client.setNetwork('connected');
    expect(service.counters(GROUP).get('badges')).toBe(97n);
  });
});

describe('local service: failNext', () => {
  it('applied: the write happens and every member hears it, only the reply is lost', async () => {
    await open();
    const operator = await listener('operator');
    const moderator = await listener('moderator');
    operator.client.failNext({ code: ErrorCode.NETWORK_TIMEOUT, applied: true });
    const bump = (value: bigint) => operator.client.increaseGroupCounter({ groupID: GROUP, key: 'badges', value });
    await expect(bump(3n)).rejects.toMatchObject({ code: ErrorCode.NETWORK_TIMEOUT });
    expect(service.counters(GROUP).get('badges')).toBe(100n);
    expect(operator.heard).toEqual(['badges=100']);
    await vi.waitFor(() => expect(moderator.heard).toEqual(['badges=100']));
    await expect(bump(1n)).resolves.toMatchObject({ data: { counters: { badges: 101n } } });
  });

  it('not applied: nothing changes and nobody hears anything', async () => {
    await open();
    const operator = await listener('operator');
    operator.client.failNext({ code: ErrorCode.SERVICE_OVERLOADED, applied: false });
    await expect(operator.client.setGroupCounters({ groupID: GROUP, counters: { badges: 0n } })).rejects.toMatchObject({
      code: ErrorCode.SERVICE_OVERLOADED,
    });
    await operator.client.getGroupList();
    expect(service.counters(GROUP).get('badges')).toBe(97n);
    expect(operator.heard).toEqual([]);
  });

  it('waits for a write that passes the rate window, and leaves reads alone', async () => {
    const clock = createFakeClock();
    await open({ clock });
    const { client } = await listener('operator');
    for (let i = 0; i < 20; i += 1) await client.increaseGroupCounter({ groupID: GROUP, key: 'badges', value: 1n });
    client.failNext({ code: ErrorCode.NETWORK_TIMEOUT, applied: false });
    await expect(client.increaseGroupCounter({ groupID: GROUP, key: 'badges', value: 1n })).rejects.toMatchObject({
      code: ErrorCode.OVER_FREQUENCY_LIMIT,
    });
    await expect(client.getGroupCounters({ groupID: GROUP })).resolves.toMatchObject({ code: 0 });
    await clock.advance(5_001);
    await expect(client.increaseGroupCounter({ groupID: GROUP, key: 'badges', value: 1n })).rejects.toMatchObject({
      code: ErrorCode.NETWORK_TIMEOUT,
    });
  });
});

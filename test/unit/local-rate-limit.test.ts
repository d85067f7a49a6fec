import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CHAT_EVENT } from '../../electron/core/chat/chat-like';
import { openLocalService, type LocalChatClient, type LocalService } from '../../electron/core/chat/local';
import { ErrorCode } from '../../shared/errors';
import { createFakeClock, type FakeClock } from '../support/fake-clock';

const GROUP = 'fan-club';
let clock: FakeClock;
let service: LocalService;
let client: LocalChatClient;

beforeEach(async () => {
  clock = createFakeClock();
  service = await openLocalService({ clock, log: () => undefined });
  client = service.createClient();
  await client.login({ userID: 'operator', userSig: 'sig' });
});
afterEach(() => service.close());

const write = (i: number) => {
  if (i % 3 === 0) return client.setGroupCounters({ groupID: GROUP, counters: { hits: BigInt(i) } });
  if (i % 3 === 1) return client.increaseGroupCounter({ groupID: GROUP, key: 'hits', value: 1n });
  return client.decreaseGroupCounter({ groupID: GROUP, key: 'hits', value: 1n });
};
const read = () => client.getGroupCounters({ groupID: GROUP, keyList: ['badges'] });
const overLimit = { code: ErrorCode.OVER_FREQUENCY_LIMIT };

async function spend(count: number, call: (i: number) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < count; i += 1) await call(i);
}

describe('local service: the write budget', () => {
  it('passes 20 writes (set, increase and decrease together) and refuses the 21st with 2996', async () => {
    await spend(20, write);
    const before = service.counters(GROUP).get('hits');
    const updates = vi.fn();
    client.on(CHAT_EVENT.GROUP_COUNTER_UPDATED, updates);
    await expect(client.increaseGroupCounter({ groupID: GROUP, key: 'hits', value: 5n })).rejects.toMatchObject({
      code: ErrorCode.OVER_FREQUENCY_LIMIT,
      message: expect.stringContaining('20 per 5 s'),
    });
    await expect(client.setGroupCounters({ groupID: GROUP, counters: { hits: 0n } })).rejects.toMatchObject(overLimit);
    expect(service.counters(GROUP).get('hits')).toBe(before);
    expect(updates).not.toHaveBeenCalled();
  });

  it('reopens at the first call made more than 5000 ms after the window opened', async () => {
    await spend(20, write);
    await clock.advance(5_000);
    await expect(write(0)).rejects.toMatchObject(overLimit);
    await clock.advance(1);
    await expect(write(0)).resolves.toMatchObject({ code: 0 });
    await spend(19, write);
    await expect(write(0)).rejects.toMatchObject(overLimit);
  });

  it('keeps refusing until the window reopens: refused calls count but do not move the window', async () => {
    await spend(20, write);
    await clock.advance(4_999);
    await spend(10, (i) => expect(write(i)).rejects.toMatchObject(overLimit));
    // The window still opened at t0: it reopens at t0 + 5001, not 5000 ms after the refused calls.
    await clock.advance(2);
    await expect(write(0)).resolves.toMatchObject({ code: 0 });
  });

  it('counts calls the service refuses (10010) as well', async () => {
    const unknownGroup = { groupID: 'nope', key: 'a', value: 1n };
    await spend(20, () =>
      expect(client.increaseGroupCounter(unknownGroup)).rejects.toMatchObject({ code: ErrorCode.GROUP_NOT_FOUND }),
    );
    await expect(write(0)).rejects.toMatchObject(overLimit);
  });

  it('does not count calls refused with 2999 before login', async () => {
    const late = service.createClient();
    const delta = { groupID: GROUP, key: 'a', value: 1n };
    const notReady = { code: ErrorCode.SDK_NOT_READY };
    await spend(30, () => expect(late.increaseGroupCounter(delta)).rejects.toMatchObject(notReady));
    await late.login({ userID: 'moderator', userSig: 'sig' });
    await spend(20, () => late.increaseGroupCounter(delta));
  });

  it('gives every client its own budget', async () => {
    await spend(20, write);
    const other = service.createClient();
    await other.login({ userID: 'moderator', userSig: 'sig' });
    const delta = { groupID: GROUP, key: 'hits', value: 1n };
    await spend(20, () => other.increaseGroupCounter(delta));
    await expect(other.increaseGroupCounter(delta)).rejects.toMatchObject(overLimit);
  });
});

describe('local service: the read budget', () => {
  it('is separate from writes: 20 reads pass after the writes ran out, the 21st gets 2996', async () => {
    await spend(20, write);
    await expect(write(0)).rejects.toMatchObject(overLimit);
    await spend(20, read);
    await expect(read()).rejects.toMatchObject({
      code: ErrorCode.OVER_FREQUENCY_LIMIT,
      message: expect.stringContaining('getGroupCounters'),
    });
  });

  it('leaves writes untouched when reads run out, and reopens after its own window', async () => {
    await spend(20, read);
    await expect(read()).rejects.toMatchObject(overLimit);
    await spend(20, write);
    await clock.advance(5_001);
    await expect(read()).resolves.toMatchObject({ code: 0 });
  });
});

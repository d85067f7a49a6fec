import { beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import { CHAT_EVENT, ChatError, type ChatEvent } from '../../electron/core/chat/chat-like';
import { SDK_LOG_WARNINGS, type SdkEvent, type SdkGroup, type SdkInstance } from '../../electron/core/chat/tencent/sdk-surface';
import { TencentChat } from '../../electron/core/chat/tencent/tencent-chat';
import type { Logger } from '../../electron/core/logger';
import { messageFor } from '../../shared/error-messages';
import { ErrorCode } from '../../shared/errors';

const MAX_EXACT = 2 ** 53 - 1;
const BEYOND = 2 ** 53 + 2;

type Handler = (event: SdkEvent) => void;

/** A tiny `@tencentcloud/chat` instance double: every call a mock, handlers kept per event. */
function fakeSdk() {
  const handlers = new Map<string, Set<Handler>>();
  const counters = (values: Record<string, number>) => Promise.resolve({ code: 0, data: { counters: values } });
  const sdk = {
    login: vi.fn<SdkInstance['login']>(async () => ({ code: 0, data: { repeatLogin: false } })),
    logout: vi.fn<SdkInstance['logout']>(async () => ({ code: 0, data: {} })),
    destroy: vi.fn<SdkInstance['destroy']>(async () => undefined),
    on: vi.fn<SdkInstance['on']>((name, handler) => {
      const set = handlers.get(name) ?? new Set<Handler>();
      set.add(handler);
      handlers.set(name, set);
    }),
    off: vi.fn<SdkInstance['off']>((name, handler) => void handlers.get(name)?.delete(handler)),
    setLogLevel: vi.fn<SdkInstance['setLogLevel']>(),
    getGroupList: vi.fn<SdkInstance['getGroupList']>(async () => ({ code: 0, data: { groupList: [] as SdkGroup[] } })),
    joinGroup: vi.fn<SdkInstance['joinGroup']>(async () => ({ code: 0, data: { status: 'JoinedSuccess' } })),
    getGroupCounters: vi.fn<SdkInstance['getGroupCounters']>(() => counters({})),
    setGroupCounters: vi.fn<SdkInstance['setGroupCounters']>(({ counters: values }) => counters(values)),
    increaseGroupCounter: vi.fn<SdkInstance['increaseGroupCounter']>(({ key, value }) => counters({ [key]: value })),
    decreaseGroupCounter: vi.fn<SdkInstance['decreaseGroupCounter']>(({ key, value }) => counters({ [key]: -value })),
  } satisfies SdkInstance;
  const emit = (name: string, data?: unknown): void => {
    for (const handler of [...(handlers.get(name) ?? [])]) handler({ name, data });
  };
  const attached = (): number => [...handlers.values()].reduce((sum, set) => sum + set.size, 0);
  return { sdk, emit, attached };
}

let fake: ReturnType<typeof fakeSdk>;
let log: { [K in keyof Logger]: Mock<Logger[K]> };
let chat: TencentChat;

beforeEach(() => {
  fake = fakeSdk();
  log = { info: vi.fn<Logger['info']>(), warn: vi.fn<Logger['warn']>(), error: vi.fn<Logger['error']>() };
  chat = new TencentChat(() => fake.sdk, log);
});

describe('TencentChat creation and sign-in', () => {
  it('sets the SDK to warnings and errors (level 2) at creation, before anything else', () => {
    expect(SDK_LOG_WARNINGS).toBe(2);
    expect(fake.sdk.setLogLevel).toHaveBeenCalledExactlyOnceWith(2);
    expect(fake.sdk.login).not.toHaveBeenCalled();
  });

  it('passes the credentials through and answers repeatLogin as a boolean', async () => {
    await expect(chat.login({ userID: 'u1', userSig: 'sig' })).resolves.toEqual({ code: 0, data: { repeatLogin: false } });
    expect(fake.sdk.login).toHaveBeenCalledWith({ userID: 'u1', userSig: 'sig' });
    fake.sdk.login.mockResolvedValueOnce({ code: 0, data: { repeatLogin: true } });
    await expect(chat.login({ userID: 'u1', userSig: 'sig' })).resolves.toEqual({ code: 0, data: { repeatLogin: true } });
    fake.sdk.login.mockResolvedValueOnce({ code: 0, data: {} });
    await expect(chat.login({ userID: 'u1', userSig: 'sig' })).resolves.toEqual({ code: 0, data: { repeatLogin: false } });
  });
});

describe('TencentChat numbers ↔ bigint', () => {
  it('carries 2^53−1 exactly both ways, and its negative', async () => {
    fake.sdk.getGroupCounters.mockResolvedValueOnce({ code: 0, data: { counters: { top: MAX_EXACT, bottom: -MAX_EXACT, zero: 0 } } });
    await expect(chat.getGroupCounters({ groupID: 'g' })).resolves.toEqual({
      code: 0,
      data: { counters: { top: 9007199254740991n, bottom: -9007199254740991n, zero: 0n } },
    });
    await expect(chat.setGroupCounters({ groupID: 'g', counters: { top: 9007199254740991n, bottom: -9007199254740991n } })).resolves.toEqual({
      code: 0,
      data: { counters: { top: 9007199254740991n, bottom: -9007199254740991n } },
    });
    expect(fake.sdk.setGroupCounters).toHaveBeenCalledWith({ groupID: 'g', counters: { top: MAX_EXACT, bottom: -MAX_EXACT } });
    await chat.increaseGroupCounter({ groupID: 'g', key: 'k', value: 9007199254740991n });
    expect(fake.sdk.increaseGroupCounter).toHaveBeenCalledWith({ groupID: 'g', key: 'k', value: MAX_EXACT });
    await chat.decreaseGroupCounter({ groupID: 'g', key: 'k', value: 9007199254740991n });
    expect(fake.sdk.decreaseGroupCounter).toHaveBeenCalledWith({ groupID: 'g', key: 'k', value: MAX_EXACT });
  });

  it('flags a value beyond 2^53−1 from the SDK as inexact in replies, keeping the exact ones unflagged', async () => {
    fake.sdk.getGroupCounters.mockResolvedValueOnce({ code: 0, data: { counters: { big: BEYOND, small: 7, minus: -BEYOND } } });
    const reply = await chat.getGroupCounters({ groupID: 'g' });
    expect(reply.data.counters).toEqual({ big: 9007199254740994n, small: 7n, minus: -9007199254740994n });
    expect(reply.data.inexact?.sort()).toEqual(['big', 'minus']);

    fake.sdk.increaseGroupCounter.mockResolvedValueOnce({ code: 0, data: { counters: { big: BEYOND } } });
    await expect(chat.increaseGroupCounter({ groupID: 'g', key: 'big', value: 1n })).resolves.toEqual({
      code: 0,
      data: { counters: { big: 9007199254740994n }, inexact: ['big'] },
    });
    fake.sdk.setGroupCounters.mockResolvedValueOnce({ code: 0, data: { counters: { big: 2 ** 53 } } });
    await expect(chat.setGroupCounters({ groupID: 'g', counters: { big: 1n } })).resolves.toMatchObject({ data: { inexact: ['big'] } });
  });

  it('flags a value beyond 2^53−1 in GROUP_COUNTER_UPDATED as inexact, and leaves exact ones unflagged', () => {
    const seen: ChatEvent<'onGroupCounterUpdated'>[] = [];
    chat.on(CHAT_EVENT.GROUP_COUNTER_UPDATED, (event) => seen.push(event));
    fake.emit('onGroupCounterUpdated', { groupID: 'g', key: 'likes', value: BEYOND });
    fake.emit('onGroupCounterUpdated', { groupID: 'g', key: 'likes', value: MAX_EXACT });
    expect(seen).toEqual([
      { name: 'onGroupCounterUpdated', data: { groupID: 'g', key: 'likes', value: 9007199254740994n, inexact: true } },
      { name: 'onGroupCounterUpdated', data: { groupID: 'g', key: 'likes', value: 9007199254740991n } },
    ]);
    expect(seen[1]!.data).not.toHaveProperty('inexact');
  });

  it('refuses to send 2^53 (or −2^53) with VALUE_NOT_EXACT before calling the SDK', async () => {
    const tooBig = 2n ** 53n;
    const refused = { code: ErrorCode.VALUE_NOT_EXACT };
    await expect(chat.setGroupCounters({ groupID: 'g', counters: { ok: 1n, big: tooBig } })).rejects.toMatchObject(refused);
    await expect(chat.increaseGroupCounter({ groupID: 'g', key: 'k', value: tooBig })).rejects.toMatchObject(refused);
    await expect(chat.decreaseGroupCounter({ groupID: 'g', key: 'k', value: tooBig })).rejects.toMatchObject(refused);
    await expect(chat.setGroupCounters({ groupID: 'g', counters: { low: -tooBig } })).rejects.toBeInstanceOf(ChatError);
    expect(fake.sdk.setGroupCounters).not.toHaveBeenCalled();
    expect(fake.sdk.increaseGroupCounter).not.toHaveBeenCalled();
    expect(fake.sdk.decreaseGroupCounter).not.toHaveBeenCalled();
  });
});

describe('TencentChat errors', () => {
  it('turns a synchronous throw of the SDK (wrong parameter types) into a rejected ChatError', async () => {
    fake.sdk.setGroupCounters.mockImplementationOnce(() => {
      throw new Error('Params validate failed.');
    });
    let thrown: unknown = null;
    let result: Promise<unknown> | null = null;
    try {
      result = chat.setGroupCounters({ groupID: 'g', counters: { k: 1n } });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeNull();
    const error = await result!.catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(ChatError);
    expect(error).toMatchObject({ code: ErrorCode.INVALID_PARAMETER });
    expect((error as ChatError).message).not.toBe('');
    expect(log.warn).toHaveBeenCalledWith(expect.stringContaining('setGroupCounters failed: 10004 (Params validate failed.)'));
  });

  it('also turns a throw of something that is not an Error (a string, null) into a ChatError', async () => {
    fake.sdk.getGroupList.mockImplementationOnce(() => {
      throw 'boom';
    });
    await expect(chat.getGroupList()).rejects.toMatchObject({ code: ErrorCode.INVALID_PARAMETER });
    fake.sdk.getGroupList.mockRejectedValueOnce(null);
    await expect(chat.getGroupList()).rejects.toBeInstanceOf(ChatError);
  });

  // A synchronous throw never left the process: the message must not blame the service.
  it('says that the SDK, not the service, refused the parameters of a synchronous throw', async () => {
    fake.sdk.setGroupCounters.mockImplementationOnce(() => {
      throw new Error('Params validate failed.');
    });
    await expect(chat.setGroupCounters({ groupID: 'g', counters: { k: 1n } })).rejects.toMatchObject({
      message: 'The SDK refused the parameters of setGroupCounters.',
    });
  });

  it.each([
    ['an empty message', ''],
    ['a garbled message', '\u0000\ufffd\ufffd'],
    ['no message', undefined],
  ])('gives a 10010 rejection with %s Countdeck’s own message', async (_label, message) => {
    fake.sdk.getGroupCounters.mockRejectedValueOnce({ code: 10010, message });
    const error = await chat.getGroupCounters({ groupID: 'gone' }).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(ChatError);
    expect(error).toMatchObject({ code: ErrorCode.GROUP_NOT_FOUND, message: messageFor(ErrorCode.GROUP_NOT_FOUND) });
    expect(messageFor(ErrorCode.GROUP_NOT_FOUND)).toBe('No such group, or it was dismissed.');
  });

  it('gives a code Countdeck has no text for a message naming the call and the code', async () => {
    fake.sdk.login.mockRejectedValueOnce({ code: 2903, message: '' });
    await expect(chat.login({ userID: 'u1', userSig: 'sig' })).rejects.toMatchObject({
      code: 2903,
      message: 'Tencent Cloud Chat refused login (error 2903).',
    });
  });

  it('gives every code of error-messages.ts its shared text, whatever the SDK said', async () => {
    for (const code of [ErrorCode.OVER_FREQUENCY_LIMIT, ErrorCode.NO_USE, ErrorCode.NO_PERMISSION, ErrorCode.USERSIG_EXPIRED]) {
      fake.sdk.increaseGroupCounter.mockRejectedValueOnce(new ChatError(code, 'sdk text'));
      fake.sdk.increaseGroupCounter.mockRejectedValueOnce(Object.assign(new Error('undefined'), { code }));
      // A ChatError (Countdeck's own, e.g. VALUE_NOT_EXACT) is passed on as it is; an SDK error gets Countdeck's text.
      await expect(chat.increaseGroupCounter({ groupID: 'g', key: 'k', value: 1n })).rejects.toMatchObject({ code, message: 'sdk text' });
      await expect(chat.increaseGroupCounter({ groupID: 'g', key: 'k', value: 1n })).rejects.toMatchObject({ code, message: messageFor(code) });
    }
  });

  it('translates the ERROR event to Countdeck’s message where it has one', () => {
    const seen: unknown[] = [];
    chat.on(CHAT_EVENT.ERROR, (event) => seen.push(event.data));
    fake.emit('error', { code: 2996, message: '' });
    fake.emit('error', { code: 123456 });
    fake.emit('error', { code: 123457, message: 'sdk says' });
    expect(seen).toEqual([
      { code: 2996, message: messageFor(2996) },
      { code: 123456, message: 'Error 123456.' },
      { code: 123457, message: 'sdk says' },
    ]);
  });
});

describe('TencentChat groups', () => {
  it('maps the group list: unknown types become Public, missing names and member counts filled in', async () => {
    fake.sdk.getGroupList.mockResolvedValueOnce({
      code: 0,
      data: {
        groupList: [
          { groupID: 'live', name: 'Live', type: 'AVChatRoom', memberCount: 12 },
          { groupID: 'odd', name: '', type: 'Meeting' },
        ],
      },
    });
    await expect(chat.getGroupList()).resolves.toEqual({
      code: 0,
      data: {
        groupList: [
          { groupID: 'live', name: 'Live', type: 'AVChatRoom', memberCount: 12 },
          { groupID: 'odd', name: 'odd', type: 'Public', memberCount: 0 },
        ],
      },
    });
  });

  it('answers a join with the group the SDK gave, without a lookup', async () => {
    fake.sdk.joinGroup.mockResolvedValueOnce({ code: 0, data: { status: 'JoinedSuccess', group: { groupID: 'live', name: 'Live', type: 'AVChatRoom', memberCount: 3 } } });
    await expect(chat.joinGroup({ groupID: 'live' })).resolves.toEqual({
      code: 0,
      data: { status: 'JoinedSuccess', group: { groupID: 'live', name: 'Live', type: 'AVChatRoom', memberCount: 3 } },
    });
    expect(fake.sdk.getGroupList).not.toHaveBeenCalled();
  });

  it("looks the group up when the SDK answers 'AlreadyInGroup' without it", async () => {
    fake.sdk.joinGroup.mockResolvedValue({ code: 0, data: { status: 'AlreadyInGroup' } });
    fake.sdk.getGroupList.mockResolvedValue({ code: 0, data: { groupList: [{ groupID: 'fans', name: 'Fan club', type: 'Public', memberCount: 40 }] } });
    await expect(chat.joinGroup({ groupID: 'fans' })).resolves.toEqual({
      code: 0,
      data: { status: 'AlreadyInGroup', group: { groupID: 'fans', name: 'Fan club', type: 'Public', memberCount: 40 } },
    });
    expect(fake.sdk.joinGroup).toHaveBeenCalledWith({ groupID: 'fans' });
    expect(fake.sdk.getGroupList).toHaveBeenCalledTimes(1);
    // Not in the list either: a plain summary rather than a failure.
    await expect(chat.joinGroup({ groupID: 'elsewhere' })).resolves.toEqual({
      code: 0,
      data: { status: 'AlreadyInGroup', group: { groupID: 'elsewhere', name: 'elsewhere', type: 'Public', memberCount: 0 } },
    });
  });
});

describe('TencentChat event relays', () => {
  it('relays an SDK event to the handler with the SDK name, and off detaches exactly that relay', () => {
    const first = vi.fn();
    const second = vi.fn();
    chat.on(CHAT_EVENT.SDK_READY, first);
    chat.on(CHAT_EVENT.SDK_READY, second);
    chat.on(CHAT_EVENT.NET_STATE_CHANGE, first);
    expect(fake.sdk.on).toHaveBeenCalledWith('sdkStateReady', expect.any(Function));
    fake.emit('sdkStateReady');
    fake.emit('netStateChange', { state: 'disconnected' });
    expect(first).toHaveBeenCalledWith({ name: 'sdkStateReady', data: undefined });
    expect(first).toHaveBeenCalledWith({ name: 'netStateChange', data: { state: 'disconnected' } });
    expect(second).toHaveBeenCalledTimes(1);

    chat.off(CHAT_EVENT.SDK_READY, first);
    const relay = fake.sdk.on.mock.calls[0]![1];
    expect(fake.sdk.off).toHaveBeenCalledExactlyOnceWith('sdkStateReady', relay);
    fake.emit('sdkStateReady');
    expect(first).toHaveBeenCalledTimes(2);
    expect(second).toHaveBeenCalledTimes(2);
    chat.off(CHAT_EVENT.KICKED_OUT, first);
    chat.off(CHAT_EVENT.SDK_READY, first);
    expect(fake.sdk.off).toHaveBeenCalledTimes(1);
  });

  it('detaches every relay on destroy, then destroys the SDK instance', async () => {
    for (const name of Object.values(CHAT_EVENT)) chat.on(name, vi.fn());
    chat.on(CHAT_EVENT.SDK_READY, vi.fn());
    expect(fake.attached()).toBe(Object.values(CHAT_EVENT).length + 1);
    await chat.destroy();
    expect(fake.attached()).toBe(0);
    expect(fake.sdk.off).toHaveBeenCalledTimes(Object.values(CHAT_EVENT).length + 1);
    expect(fake.sdk.destroy).toHaveBeenCalledTimes(1);
    expect(fake.sdk.off.mock.invocationCallOrder.at(-1)!).toBeLessThan(fake.sdk.destroy.mock.invocationCallOrder[0]!);
  });

  it('still detaches its relays when the SDK refuses destroy (the real one answers 2024), rejecting with a ChatError', async () => {
    chat.on(CHAT_EVENT.SDK_READY, vi.fn());
    fake.sdk.destroy.mockRejectedValueOnce({ code: 2024, message: '' });
    await expect(chat.destroy()).rejects.toMatchObject({ code: 2024 });
    expect(fake.attached()).toBe(0);
  });
});

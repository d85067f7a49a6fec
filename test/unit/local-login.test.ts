import { afterEach, describe, expect, it, vi } from 'vitest';
import { CHAT_EVENT } from '../../electron/core/chat/chat-like';
import { openLocalService, type LocalService } from '../../electron/core/chat/local';
import { ErrorCode } from '../../shared/errors';

let service: LocalService;
afterEach(() => service?.close());

async function open(): Promise<LocalService> {
  service = await openLocalService({ log: () => undefined });
  return service;
}

describe('local service: login', () => {
  it('refuses a missing or blank userID with USER_ID_INVALID, and a missing userSig', async () => {
    const client = (await open()).createClient();
    await expect(client.login({ userID: '', userSig: 'sig' })).rejects.toMatchObject({
      code: ErrorCode.USER_ID_INVALID,
      message: expect.stringContaining('userID'),
    });
    await expect(client.login({ userID: '  ', userSig: 'sig' })).rejects.toMatchObject({
      code: ErrorCode.USER_ID_INVALID,
    });
    await expect(client.login({ userID: 'operator', userSig: '' })).rejects.toMatchObject({
      code: ErrorCode.INVALID_PARAMETER,
      message: expect.stringContaining('userSig'),
    });
  });

  it('resolves first, then emits SDK_READY and NET_STATE_CHANGE connected', async () => {
    const client = (await open()).createClient();
    const seen: string[] = [];
    client.on(CHAT_EVENT.SDK_READY, () => seen.push('ready'));
    client.on(CHAT_EVENT.NET_STATE_CHANGE, (event) => seen.push(`net:${event.data.state}`));
    const reply = await client.login({ userID: 'operator', userSig: 'any' }).then((response) => {
      seen.push('reply');
      return response;
    });
    expect(reply).toEqual({ code: 0, data: { repeatLogin: false } });
    await vi.waitFor(() => expect(seen).toEqual(['reply', 'ready', 'net:connected']));
  });

  it('answers a repeated login of the same user with repeatLogin: true, and refuses another user', async () => {
    const client = (await open()).createClient();
    await client.login({ userID: 'operator', userSig: 'sig' });
    await expect(client.login({ userID: 'operator', userSig: 'sig' })).resolves.toEqual({
      code: 0,
      data: { repeatLogin: true },
    });
    await expect(client.login({ userID: 'moderator', userSig: 'sig' })).rejects.toMatchObject({
      code: ErrorCode.USER_ID_INVALID,
      message: expect.stringContaining('log out'),
    });
  });

  it('rejects every other call with 2999 before login', async () => {
    const client = (await open()).createClient();
    const notReady = { code: ErrorCode.SDK_NOT_READY };
    await expect(client.getGroupList()).rejects.toMatchObject(notReady);
    await expect(client.joinGroup({ groupID: 'fan-club' })).rejects.toMatchObject(notReady);
    await expect(client.getGroupCounters({ groupID: 'fan-club' })).rejects.toMatchObject(notReady);
    await expect(client.setGroupCounters({ groupID: 'fan-club', counters: { a: 1n } })).rejects.toMatchObject(notReady);
    const delta = { groupID: 'fan-club', key: 'a', value: 1n };
    await expect(client.increaseGroupCounter(delta)).rejects.toMatchObject(notReady);
    await expect(client.decreaseGroupCounter(delta)).rejects.toMatchObject(notReady);
    await expect(client.logout()).rejects.toMatchObject(notReady);
  });

  it('kicks the older client when the same user logs in elsewhere', async () => {
    const svc = await open();
    const older = svc.createClient();
    const newer = svc.createClient();
    const olderEvents: string[] = [];
    older.on(CHAT_EVENT.KICKED_OUT, (event) => olderEvents.push(`kicked:${event.data.type}`));
    older.on(CHAT_EVENT.SDK_NOT_READY, () => olderEvents.push('not-ready'));
    await older.login({ userID: 'operator', userSig: 'sig' });
    await newer.login({ userID: 'operator', userSig: 'sig' });
    await vi.waitFor(() => expect(olderEvents).toEqual(['kicked:multipleAccount', 'not-ready']));
    await expect(older.getGroupList()).rejects.toMatchObject({ code: ErrorCode.SDK_NOT_READY });
    await expect(newer.getGroupList()).resolves.toMatchObject({ code: 0 });
  });

  it('does not kick a client of another user', async () => {
    const svc = await open();
    const operator = svc.createClient();
    const kicked = vi.fn();
    operator.on(CHAT_EVENT.KICKED_OUT, kicked);
    await operator.login({ userID: 'operator', userSig: 'sig' });
    await svc.createClient().login({ userID: 'moderator', userSig: 'sig' });
    await expect(operator.getGroupList()).resolves.toMatchObject({ code: 0 });
    expect(kicked).not.toHaveBeenCalled();
  });

  it('logout emits SDK_NOT_READY, later calls get 2999, and the user can log in again', async () => {
    const client = (await open()).createClient();
    const notReady = vi.fn();
    client.on(CHAT_EVENT.SDK_NOT_READY, notReady);
    await client.login({ userID: 'operator', userSig: 'sig' });
    await expect(client.logout()).resolves.toEqual({ code: 0, data: {} });
    expect(notReady).toHaveBeenCalledTimes(1);
    await expect(client.getGroupList()).rejects.toMatchObject({ code: ErrorCode.SDK_NOT_READY });
    await expect(client.login({ userID: 'operator', userSig: 'sig' })).resolves.toMatchObject({ code: 0 });
  });

  it('destroy logs out, drops the handlers, and ends the instance', async () => {
    const svc = await open();
    const client = svc.createClient();
    const updates = vi.fn();
    const notReady = vi.fn();
    client.on(CHAT_EVENT.GROUP_COUNTER_UPDATED, updates);
    client.on(CHAT_EVENT.SDK_NOT_READY, notReady);
    await client.login({ userID: 'operator', userSig: 'sig' });
    await client.destroy();
    expect(notReady).toHaveBeenCalledTimes(1);
    const other = svc.createClient();
    await other.login({ userID: 'moderator', userSig: 'sig' });
    await other.increaseGroupCounter({ groupID: 'fan-club', key: 'badges', value: 1n });
    expect(updates).not.toHaveBeenCalled();
    await expect(client.login({ userID: 'operator', userSig: 'sig' })).rejects.toMatchObject({
      code: ErrorCode.SDK_NOT_READY,
      message: expect.stringContaining('destroyed'),
    });
    await expect(client.destroy()).resolves.toBeUndefined();
  });

  it('off removes a handler, and a throwing handler does not stop the others', async () => {
    const log = vi.fn();
    service = await openLocalService({ log });
    const client = service.createClient();
    const removed = vi.fn();
    const kept = vi.fn();
    client.on(CHAT_EVENT.SDK_READY, () => {
      throw new Error('boom');
    });
    client.on(CHAT_EVENT.SDK_READY, removed);
    client.on(CHAT_EVENT.SDK_READY, kept);
    client.off(CHAT_EVENT.SDK_READY, removed);
    await client.login({ userID: 'operator', userSig: 'sig' });
    await vi.waitFor(() => expect(kept).toHaveBeenCalledTimes(1));
    expect(removed).not.toHaveBeenCalled();
    expect(log).toHaveBeenCalledWith('error', expect.stringContaining('boom'));
  });

  it('close logs every client out, is idempotent, and refuses new logins', async () => {
    const svc = await open();
    const client = svc.createClient();
    const notReady = vi.fn();
    client.on(CHAT_EVENT.SDK_NOT_READY, notReady);
    await client.login({ userID: 'operator', userSig: 'sig' });
    await Promise.all([svc.close(), svc.close()]);
    await svc.close();
    await vi.waitFor(() => expect(notReady).toHaveBeenCalledTimes(1));
    await expect(client.login({ userID: 'operator', userSig: 'sig' })).rejects.toMatchObject({
      code: ErrorCode.CORE_CLOSED,
    });
    expect(() => svc.createClient()).toThrow(/closed/);
  });
});

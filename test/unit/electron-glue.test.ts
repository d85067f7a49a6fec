import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ErrorCode } from '../../shared/errors';
import { API_EVENTS, API_METHODS, eventChannel, methodChannel } from '../../shared/ipc-contract';

const electron = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  handlers: new Map<string, (event: unknown, payload: unknown) => unknown>(),
  listeners: new Map<string, Set<(event: unknown, payload: unknown) => void>>(),
  invoke: vi.fn(),
}));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => electron.exposed.set(key, api) },
  ipcRenderer: {
    invoke: electron.invoke,
    on: (channel: string, listener: (event: unknown, payload: unknown) => void) => {
      const set = electron.listeners.get(channel) ?? new Set();
      set.add(listener);
      electron.listeners.set(channel, set);
    },
    removeListener: (channel: string, listener: (event: unknown, payload: unknown) => void) =>
      electron.listeners.get(channel)?.delete(listener),
  },
}));

type Api = Record<string, (payload?: unknown) => unknown>;

describe('preload', () => {
  beforeEach(() => {
    electron.exposed.clear();
    electron.listeners.clear();
    electron.invoke.mockReset();
  });

  it('exposes exactly the contract as window.countdeck', async () => {
    vi.resetModules();
    await import('../../electron/preload');
    const api = electron.exposed.get('countdeck') as Api;
    expect(Object.keys(api).sort()).toEqual([...API_METHODS, ...API_EVENTS].sort());
    expect([...electron.exposed.keys()]).toEqual(['countdeck']);
  });

  it('invokes the channel of each call, unwraps values and rejects with the coded error', async () => {
    vi.resetModules();
    await import('../../electron/preload');
    const api = electron.exposed.get('countdeck') as Api;
    electron.invoke.mockResolvedValueOnce({ ok: true, value: [{ groupID: 'g' }] });
    await expect(api['listGroups']!()).resolves.toEqual([{ groupID: 'g' }]);
    expect(electron.invoke).toHaveBeenLastCalledWith(methodChannel('listGroups'), undefined);
    electron.invoke.mockResolvedValueOnce({ ok: false, error: { code: 2996, message: 'slow down' } });
    await expect(api['increaseCounter']!({ groupID: 'g', key: 'k', value: '1' })).rejects.toEqual({ code: 2996, message: 'slow down' });
  });

  it('hands listeners the payload only, and unsubscribes', async () => {
    vi.resetModules();
    await import('../../electron/preload');
    const api = electron.exposed.get('countdeck') as Api;
    const seen: unknown[] = [];
    const stop = api['onCounterBatch']!((batch: unknown) => seen.push(batch)) as () => void;
    const channel = eventChannel('onCounterBatch');
    for (const listener of electron.listeners.get(channel)!) listener({ sender: 'secret' }, { seq: 1, updates: [] });
    expect(seen).toEqual([{ seq: 1, updates: [] }]);
    stop();
    expect(electron.listeners.get(channel)!.size).toBe(0);
  });
});

describe('main-process IPC binding', () => {
  it('binds every call with one generic handler and refuses untrusted senders', async () => {
    const { bindIpc } = await import('../../electron/ipc-bridge');
    const handlers = new Map<string, (event: unknown, payload: unknown) => unknown>();
    const ipcMain = {
      handle: (channel: string, handler: (event: unknown, payload: unknown) => unknown) => handlers.set(channel, handler),
      removeHandler: (channel: string) => handlers.delete(channel),
    };
    const dispatch = vi.fn(async (method: unknown, payload: unknown) => ({ ok: true as const, value: { method, payload } }));
    const trusted = { trusted: true };
    const undo = bindIpc(ipcMain as never, dispatch, (event) => event === (trusted as never));
    expect([...handlers.keys()].sort()).toEqual(API_METHODS.map(methodChannel).sort());
    await expect(handlers.get(methodChannel('joinGroup'))!(trusted, 'live')).resolves.toEqual({ ok: true, value: { method: 'joinGroup', payload: 'live' } });
    await expect(Promise.resolve(handlers.get(methodChannel('joinGroup'))!({ trusted: false }, 'live'))).resolves.toMatchObject({ ok: false, error: { code: ErrorCode.NO_PERMISSION } });
    expect(dispatch).toHaveBeenCalledTimes(1);
    undo();
    expect(handlers.size).toBe(0);
  });
});

describe('electron/core', () => {
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? files(path) : [path];
    });

  it('imports nothing from electron', () => {
    const sources = files(join(import.meta.dirname, '../../electron/core')).filter((path) => path.endsWith('.ts'));
    expect(sources.length).toBeGreaterThan(10);
    for (const path of sources) {
      expect(readFileSync(path, 'utf8'), path).not.toMatch(/from\s+['"]electron['"]|require\(\s*['"]electron['"]\s*\)|import\(\s*['"]electron['"]\s*\)/);
    }
  });
});

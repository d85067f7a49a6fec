import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { APP_ORIGIN, APP_SCHEME } from '../../electron/app-protocol';
import { CONTENT_SECURITY_POLICY } from '../../electron/csp';
import { DATABASE_FILE_NAME } from '../../electron/core/store/database';
import { ErrorCode } from '../../shared/errors';
import { API_METHODS, eventChannel, methodChannel } from '../../shared/ipc-contract';
import type { CounterBatch } from '../../shared/types';

/**
 * electron/main.ts against a recording fake of the `electron` module: it really starts the core
 * (embedded service, simulator, state under userData), so IPC answers and forwarded events are real.
 */

type Handler = (...args: never[]) => unknown;

const electron = vi.hoisted(() => {
  /** What happened, in order: the scheme must be privileged before the app is ready. */
  const log: string[] = [];
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const appHandlers = new Map<string, Handler[]>();
  const record = (name: string, handler: Handler) => appHandlers.set(name, [...(appHandlers.get(name) ?? []), handler]);
  const windows: FakeWindow[] = [];

  class FakeWebContents {
    readonly handlers = new Map<string, Handler>();
    openHandler: Handler | null = null;
    readonly sent: { channel: string; payload: unknown }[] = [];
    on(name: string, handler: Handler) {
      this.handlers.set(name, handler);
      return this;
    }
    setWindowOpenHandler(handler: Handler) {
      this.openHandler = handler;
    }
    isDestroyed() {
      return false;
    }
    send(channel: string, payload: unknown) {
      this.sent.push({ channel, payload });
    }
  }

  class FakeWindow {
    static getAllWindows(): FakeWindow[] {
      return [...windows];
    }
    readonly webContents = new FakeWebContents();
    readonly onceHandlers = new Map<string, Handler>();
    readonly handlers = new Map<string, Handler>();
    readonly loadedURLs: string[] = [];
    shown = 0;
    constructor(readonly options: { show?: boolean; webPreferences?: Record<string, unknown> }) {
      windows.push(this);
      log.push('new BrowserWindow');
    }
    once(name: string, handler: Handler) {
      this.onceHandlers.set(name, handler);
      return this;
    }
    on(name: string, handler: Handler) {
      this.handlers.set(name, handler);
      return this;
    }
    async loadURL(url: string) {
      this.loadedURLs.push(url);
    }
    show() {
      this.shown += 1;
    }
    maximize() {}
    isMaximized() {
      return false;
    }
    getNormalBounds() {
      return { x: 10, y: 20, width: 1300, height: 800 };
    }
  }

  const state = {
    log,
    windows,
    userData: '',
    markReady: () => {
      log.push('ready');
      markReady();
    },
    appHandlers,
    ipcHandlers: new Map<string, (event: unknown, payload: unknown) => unknown>(),
    protocolHandlers: new Map<string, (request: { url: string }) => unknown>(),
    permissionHandler: null as Handler | null,
    /** Recorded by hand, not with vi.fn: Vitest clears mock calls before each test. */
    exitCodes: [] as (number | undefined)[],
    quits: 0,
    fetched: [] as string[],
    privileged: [] as unknown[],
    opened: [] as string[],
    menu: null as unknown,
  };

  const app = {
    whenReady: () => ready,
    getPath: (name: string) => {
      if (name !== 'userData') throw new Error(`unexpected getPath(${name})`);
      return state.userData;
    },
    on: (name: string, handler: Handler) => record(name, handler),
    once: (name: string, handler: Handler) => record(name, handler),
    quit: () => (state.quits += 1),
    exit: (code?: number) => state.exitCodes.push(code),
    requestSingleInstanceLock: () => true,
    setAboutPanelOptions: () => {},
    getVersion: () => '0.1.0',
    isPackaged: false,
  };
  const display = { id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1080 } };
  const module = {
    app,
    BrowserWindow: FakeWindow,
    ipcMain: {
      handle: (channel: string, handler: (event: unknown, payload: unknown) => unknown) => state.ipcHandlers.set(channel, handler),
      removeHandler: (channel: string) => state.ipcHandlers.delete(channel),
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown) => {
        log.push('registerSchemesAsPrivileged');
        state.privileged.push(schemes);
      },
      handle: (scheme: string, handler: (request: { url: string }) => unknown) => {
        log.push(`protocol.handle ${scheme}`);
        state.protocolHandlers.set(scheme, handler);
      },
    },
    net: {
      fetch: async (url: string) => {
        state.fetched.push(url);
        return new Response('served');
      },
    },
    session: { defaultSession: { setPermissionRequestHandler: (handler: Handler) => (state.permissionHandler = handler) } },
    // No keychain here: the account store falls back to memory.
    safeStorage: { isAsyncEncryptionAvailable: async () => false },
    Menu: { buildFromTemplate: (template: unknown) => template, setApplicationMenu: (menu: unknown) => (state.menu = menu) },
    dialog: { showMessageBoxSync: () => 0 },
    shell: { openExternal: async (url: string) => void state.opened.push(url) },
    screen: { getPrimaryDisplay: () => display, getAllDisplays: () => [display] },
  };
  return { state, module };
});

vi.mock('electron', () => ({ ...electron.module, default: electron.module }));
vi.mock('electron-log/main', () => {
  const quiet = () => {};
  return {
    default: { transports: { file: { getFile: () => ({ path: '/logs/main.log' }) }, console: {} }, info: quiet, warn: quiet, error: quiet },
  };
});

const { state } = electron;
type FakeWindow = (typeof state.windows)[number];

const TRUSTED = { senderFrame: { url: `${APP_ORIGIN}/index.html`, parent: null } };
const savedRendererUrl = process.env['ELECTRON_RENDERER_URL'];

function appHandler(name: string): Handler {
  const handler = state.appHandlers.get(name)?.[0];
  if (handler === undefined) throw new Error(`main.ts registered no "${name}" handler`);
  return handler;
}

function ipc(method: (typeof API_METHODS)[number]): (event: unknown, payload?: unknown) => Promise<unknown> {
  const handler = state.ipcHandlers.get(methodChannel(method));
  if (handler === undefined) throw new Error(`no handler for ${method}`);
  return async (event, payload) => handler(event, payload);
}

function mainWindow(): FakeWindow {
  const window = state.windows[0];
  if (window === undefined) throw new Error('main.ts opened no window');
  return window;
}

beforeAll(async () => {
  delete process.env['ELECTRON_RENDERER_URL'];
  for (const level of ['info', 'warn', 'error'] as const) vi.spyOn(console, level).mockImplementation(() => {});
  state.userData = await mkdtemp(join(tmpdir(), 'countdeck-main-'));
  await import('../../electron/main');
  // main.ts is loaded and waits for the app; let a few turns pass before it becomes ready.
  await new Promise((resolve) => setTimeout(resolve, 20));
  state.markReady();
  await vi.waitFor(() => expect(state.windows).toHaveLength(1), { timeout: 5_000 });
});

afterAll(async () => {
  if (state.exitCodes.length === 0) {
    appHandler('before-quit')({ preventDefault: () => {} } as never);
    await vi.waitFor(() => expect(state.exitCodes).not.toHaveLength(0), { timeout: 5_000 }).catch(() => {});
  }
  if (savedRendererUrl !== undefined) process.env['ELECTRON_RENDERER_URL'] = savedRendererUrl;
  vi.restoreAllMocks();
  if (state.userData !== '') await rm(state.userData, { recursive: true, force: true });
});

describe('main.ts start-up', () => {
  it('registers the app:// scheme as privileged before the app is ready, and serves it after', () => {
    expect(state.privileged).toEqual([[{ scheme: APP_SCHEME, privileges: expect.objectContaining({ standard: true, secure: true }) }]]);
    const order = state.log;
    expect(order.indexOf('registerSchemesAsPrivileged')).toBeGreaterThanOrEqual(0);
    expect(order.indexOf('registerSchemesAsPrivileged')).toBeLessThan(order.indexOf('ready'));
    expect(order.indexOf(`protocol.handle ${APP_SCHEME}`)).toBeGreaterThan(order.indexOf('ready'));
  });

  it('serves files of the renderer folder through net.fetch and refuses anything outside it', async () => {
    const serve = state.protocolHandlers.get(APP_SCHEME)!;
    const page = (await serve({ url: `${APP_ORIGIN}/index.html` })) as Response;
    expect(page).toBeInstanceOf(Response);
    expect(page.headers.get('Content-Security-Policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(state.fetched).toHaveLength(1);
    expect(state.fetched[0]).toMatch(/^file:\/\/.*\/renderer\/index\.html$/);
    for (const url of [`${APP_ORIGIN}/%2F..%2F..%2Fpackage.json`, 'app://elsewhere/index.html']) {
      const refused = (await serve({ url })) as Response;
      expect(refused.status, url).toBe(404);
    }
    expect(state.fetched).toHaveLength(1);
  });

  it('handles every call of the contract on ipcMain', () => {
    expect([...state.ipcHandlers.keys()].sort()).toEqual(API_METHODS.map(methodChannel).sort());
  });

  it('creates one hidden, sandboxed, isolated window with the CommonJS preload, showing it when ready', () => {
    const window = mainWindow();
    expect(window.options.show).toBe(false);
    expect(window.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(String(window.options.webPreferences?.['preload'])).toMatch(/[\\/]preload\.cjs$/);
    expect(window.loadedURLs).toEqual([`${APP_ORIGIN}/index.html`]);
    expect(window.shown).toBe(0);
    window.onceHandlers.get('ready-to-show')?.();
    expect(window.shown).toBe(1);
  });

  it('prevents navigation away from the app origin, and only that', () => {
    const willNavigate = mainWindow().webContents.handlers.get('will-navigate') as (event: { preventDefault(): void }, url: string) => void;
    for (const url of ['https://evil.example/', 'file:///etc/passwd', 'app://other/index.html', 'http://localhost:5173/']) {
      const event = { preventDefault: vi.fn() };
      willNavigate(event, url);
      expect(event.preventDefault, url).toHaveBeenCalledTimes(1);
    }
    const inside = { preventDefault: vi.fn() };
    willNavigate(inside, `${APP_ORIGIN}/index.html#/groups`);
    expect(inside.preventDefault).not.toHaveBeenCalled();
  });

  it('denies new windows (web links go to the system browser) and every permission request', () => {
    const openHandler = mainWindow().webContents.openHandler as (details: { url: string }) => unknown;
    expect(openHandler({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(openHandler({ url: `${APP_ORIGIN}/index.html` })).toEqual({ action: 'deny' });
    expect(openHandler({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(state.opened).toContain('https://example.com/');
    expect(state.opened.filter((url) => !url.startsWith('http'))).toEqual([]);
    const ask = state.permissionHandler as (contents: unknown, permission: string, callback: (granted: boolean) => void) => void;
    for (const permission of ['media', 'notifications', 'geolocation']) {
      const callback = vi.fn();
      ask({}, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
    }
  });
});

describe('main.ts IPC', () => {
  it('answers the main frame of the app with real results from the core', async () => {
    const reply = (await ipc('listGroups')(TRUSTED, undefined)) as { ok: boolean; value: { groupID: string; type: string }[] };
    expect(reply.ok).toBe(true);
    expect(reply.value.map((group) => group.groupID)).toEqual(expect.arrayContaining(['live-friday', 'fan-club']));
    await expect(ipc('getSession')(TRUSTED)).resolves.toMatchObject({ ok: true, value: { state: 'ready', backend: 'local' } });
    await expect(ipc('increaseCounter')(TRUSTED, { groupID: 'fan-club', key: 'likes', value: '0' })).resolves.toMatchObject({
      ok: false,
      error: { code: ErrorCode.DELTA_INVALID },
    });
  });

  it.each([
    ['a foreign page', { senderFrame: { url: 'https://evil.example/', parent: null } }],
    ['a subframe of the app', { senderFrame: { url: `${APP_ORIGIN}/index.html`, parent: { url: `${APP_ORIGIN}/index.html` } } }],
    ['no frame at all', { senderFrame: null }],
  ])('refuses %s with NO_PERMISSION', async (_, event) => {
    await expect(ipc('listGroups')(event)).resolves.toMatchObject({ ok: false, error: { code: ErrorCode.NO_PERMISSION } });
    await expect(ipc('setCounters')(event, { groupID: 'mod-team', counters: { intruder: '1' } })).resolves.toMatchObject({
      ok: false,
      error: { code: ErrorCode.NO_PERMISSION },
    });
  });

  it('forwards core events to the window on the event channels', async () => {
    const sent = mainWindow().webContents.sent;
    const reply = await ipc('setCounters')(TRUSTED, { groupID: 'mod-team', counters: { wiring_probe: '424242' } });
    expect(reply).toEqual({ ok: true, value: { groupID: 'mod-team', counters: { wiring_probe: '424242' } } });
    await vi.waitFor(
      () => {
        const batches = sent.filter((message) => message.channel === eventChannel('onCounterBatch')).map((message) => message.payload as CounterBatch);
        const updates = batches.flatMap((batch) => batch.updates);
        expect(updates).toContainEqual(expect.objectContaining({ groupID: 'mod-team', key: 'wiring_probe', value: '424242' }));
      },
      { timeout: 1_500, interval: 20 },
    );
    expect(sent.some((message) => message.channel === eventChannel('onBudget'))).toBe(true);
    const channels = new Set(sent.map((message) => message.channel));
    for (const channel of channels) expect(channel).toMatch(/^countdeck:event:(onCounterBatch|onSession|onBudget)$/);
  });
});

describe('main.ts lifecycle', () => {
  it('opens a window on activate only when none is open, and quits when all close (not on macOS)', async () => {
    appHandler('activate')();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(state.windows).toHaveLength(1);
    const [only] = state.windows.splice(0);
    appHandler('activate')();
    await vi.waitFor(() => expect(state.windows).toHaveLength(1));
    expect(state.windows[0]).not.toBe(only);
    appHandler('window-all-closed')();
    expect(state.quits).toBe(process.platform === 'darwin' ? 0 : 1);
  });

  it('sets an application menu with the usual roles and About Countdeck', () => {
    const menu = JSON.stringify(state.menu);
    for (const role of ['editMenu', 'windowMenu', 'help']) expect(menu).toContain(role);
    expect(menu).toMatch(process.platform === 'darwin' ? /appMenu/ : /About Countdeck/);
  });

  it('on before-quit, holds the quit, shuts the core down (saving state under userData), then exits', async () => {
    const event = { preventDefault: vi.fn() };
    appHandler('before-quit')(event as never);
    expect(event.preventDefault).toHaveBeenCalledTimes(1);
    await vi.waitFor(() => expect(state.exitCodes).toEqual([0]), { timeout: 5_000 });
    const saved = new DatabaseSync(join(state.userData, DATABASE_FILE_NAME), { readOnly: true });
    expect(saved.prepare('SELECT value FROM service_counter WHERE key = ?').get('wiring_probe')).toEqual({ value: 424242 });
    saved.close();
  });
});

import { app, BrowserWindow, ipcMain, net, protocol, safeStorage, session } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { APP_ORIGIN, APP_SCHEME, APP_SCHEME_PRIVILEGES, resolveAppFile } from './app-protocol';
import { createCore, type Core } from './core/create-core';
import type { Logger } from './core/logger';
import { bindIpc, forwardEvents } from './ipc-bridge';
import { openKeychainAccountStore } from './keychain-account-store';
import { isNavigationAllowed, isTrustedFrame, secureWebPreferences, trustedOrigins } from './security';

const devServerUrl = process.env['ELECTRON_RENDERER_URL'];
const origins = trustedOrigins(APP_ORIGIN, devServerUrl);
const consoleLogger: Logger = {
  info: (message) => console.info(message),
  warn: (message) => console.warn(message),
  error: (message) => console.error(message),
};

protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

function serveRenderer(): void {
  const rendererDir = join(import.meta.dirname, '../renderer');
  protocol.handle(APP_SCHEME, (request) => {
    const file = resolveAppFile(rendererDir, request.url);
    return file === null ? new Response('Not found', { status: 404 }) : net.fetch(pathToFileURL(file).toString());
  });
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 900,
    minHeight: 600,
    title: 'Countdeck',
    show: false,
    webPreferences: secureWebPreferences(join(import.meta.dirname, '../preload/preload.cjs')),
  });
  window.once('ready-to-show', () => window.show());
  // Checklist "Limit navigation" and "Limit creation of new windows".
  window.webContents.on('will-navigate', (event, url) => {
    if (!isNavigationAllowed(url, origins)) event.preventDefault();
  });
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  void window.loadURL(devServerUrl ?? `${APP_ORIGIN}/index.html`);
  return window;
}

async function start(): Promise<void> {
  await app.whenReady();
  // Checklist "Handle session permission requests from remote content": nothing is granted.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  serveRenderer();
  const userData = app.getPath('userData');
  const core: Core = await createCore({
    dataDir: join(userData, 'embedded-service'),
    accounts: await openKeychainAccountStore(safeStorage, join(userData, 'account.json'), consoleLogger),
    log: consoleLogger,
    simulate: true,
  });
  bindIpc(ipcMain, core.dispatch, (event) => isTrustedFrame(event.senderFrame, origins));
  forwardEvents(core.api, () => BrowserWindow.getAllWindows().map((window) => window.webContents));
  createWindow();
  app.on('activate', () => BrowserWindow.getAllWindows().length === 0 && createWindow());
  app.on('window-all-closed', () => process.platform !== 'darwin' && app.quit());
  app.once('will-quit', (event) => {
    event.preventDefault();
    void core.close().finally(() => app.exit(0));
  });
}

void start();

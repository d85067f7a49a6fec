import { app, BrowserWindow, dialog, ipcMain, Menu, net, protocol, safeStorage, session, shell } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openAppLog } from './app-log';
import { applicationMenu, DOCUMENTATION_URL } from './app-menu';
import { APP_ORIGIN, APP_SCHEME, APP_SCHEME_PRIVILEGES, resolveAppFile } from './app-protocol';
import { createCore, type Core } from './core/create-core';
import { CONTENT_SECURITY_POLICY } from './csp';
import { bindIpc, forwardEvents } from './ipc-bridge';
import { openKeychainAccountStore } from './keychain-account-store';
import { openMainWindow } from './main-window';
import { isTrustedFrame, trustedOrigins } from './security';
import { describeUnsent } from './unsent-report';

const devServerUrl = process.env['ELECTRON_RENDERER_URL'];
const origins = trustedOrigins(APP_ORIGIN, devServerUrl);
/** How long queued changes get to reach the service when Countdeck quits. */
const SHUTDOWN_GRACE_MS = 5_000;

protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

function serveRenderer(): void {
  const rendererDir = join(import.meta.dirname, '../renderer');
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppFile(rendererDir, request.url);
    if (file === null) return new Response('Not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    return new Response(response.body, { status: response.status, headers });
  });
}

async function start(): Promise<void> {
  const log = openAppLog();
  await app.whenReady();
  log.info(`Countdeck ${app.getVersion()} starting; log file ${log.file}`);
  app.setAboutPanelOptions({ applicationName: 'Countdeck', applicationVersion: app.getVersion(), copyright: 'Countdeck contributors' });
  // Checklist "Handle session permission requests from remote content": nothing is granted.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  serveRenderer();
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      applicationMenu({ platform: process.platform, development: !app.isPackaged, openDocumentation: () => void shell.openExternal(DOCUMENTATION_URL) }),
    ),
  );

  const userData = app.getPath('userData');
  const core: Core = await createCore({
    dataDir: userData,
    accounts: await openKeychainAccountStore(safeStorage, join(userData, 'account.json'), log),
    log,
    simulate: true,
  });
  bindIpc(ipcMain, core.dispatch, (event) => isTrustedFrame(event.senderFrame, origins));
  forwardEvents(core.api, () => BrowserWindow.getAllWindows().map((window) => window.webContents));

  const windowOptions = {
    preload: join(import.meta.dirname, '../preload/preload.cjs'),
    url: devServerUrl ?? `${APP_ORIGIN}/index.html`,
    origins,
    stateFile: join(userData, 'window-state.json'),
  };
  await openMainWindow(windowOptions);
  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (window === undefined) return void openMainWindow(windowOptions);
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('activate', () => BrowserWindow.getAllWindows().length === 0 && void openMainWindow(windowOptions));
  app.on('window-all-closed', () => process.platform !== 'darwin' && app.quit());

  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    quitting = true;
    event.preventDefault();
    void Promise.all([core.api.getStorage(), core.shutdown(SHUTDOWN_GRACE_MS)]).then(([storage, unsent]) => {
      if (unsent.length > 0) dialog.showMessageBoxSync({ type: 'warning', ...describeUnsent(unsent, storage.file !== null) });
      app.exit(0);
    });
  });
}

// A second launch hands over to the first (which comes to the front) and ends here.
if (app.requestSingleInstanceLock()) void start();
else app.quit();

import { BrowserWindow, screen, shell } from 'electron';
import { fitToDisplays, loadWindowState, MIN_SIZE, saveWindowState } from './window-state';
import { isExternalLink, isNavigationAllowed, secureWebPreferences } from './security';

export interface MainWindowOptions {
  preload: string;
  url: string;
  /** Origins the page may navigate within. */
  origins: readonly string[];
  /** Where the window's size and position are kept between runs. */
  stateFile: string;
}

/** Opens the app's one window, where it was last time, with navigation and new windows locked down. */
export async function openMainWindow({ preload, url, origins, stateFile }: MainWindowOptions): Promise<BrowserWindow> {
  const primary = screen.getPrimaryDisplay();
  const workAreas = [primary, ...screen.getAllDisplays().filter((display) => display.id !== primary.id)].map((display) => display.workArea);
  const { bounds, maximized } = fitToDisplays(await loadWindowState(stateFile), workAreas);
  const window = new BrowserWindow({
    ...bounds,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    title: 'Countdeck',
    show: false,
    backgroundColor: '#0c1016',
    webPreferences: secureWebPreferences(preload),
  });
  window.once('ready-to-show', () => {
    if (maximized) window.maximize();
    window.show();
  });
  // Checklist "Limit navigation" and "Limit creation of new windows": web links open in the browser.
  window.webContents.on('will-navigate', (event, target) => {
    if (isNavigationAllowed(target, origins)) return;
    event.preventDefault();
    if (isExternalLink(target)) void shell.openExternal(target);
  });
  window.webContents.setWindowOpenHandler(({ url: target }) => {
    if (isExternalLink(target)) void shell.openExternal(target);
    return { action: 'deny' };
  });
  window.on('close', () => {
    void saveWindowState(stateFile, { bounds: window.getNormalBounds(), maximized: window.isMaximized() }).catch(() => {});
  });
  await window.loadURL(url);
  return window;
}

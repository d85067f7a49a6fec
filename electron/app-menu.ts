import type { MenuItemConstructorOptions } from 'electron';

export interface MenuOptions {
  platform: NodeJS.Platform;
  /** Reload and developer tools appear only in development. */
  development: boolean;
  /** Opens Tencent's documentation of group counters in the system browser. */
  openDocumentation: () => void;
}

/** Where Tencent documents group counters (the Web SDK guide). */
export const DOCUMENTATION_URL = 'https://www.tencentcloud.com/document/product/1047/52409';

/** The application menu: the usual roles of each platform, About Countdeck under Help (in the app menu on macOS). */
export function applicationMenu({ platform, development, openDocumentation }: MenuOptions): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const view: MenuItemConstructorOptions[] = [
    ...(development ? ([{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as const) : []),
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  const help: MenuItemConstructorOptions[] = [
    { label: 'Group Counters Documentation', click: openDocumentation },
    ...(mac ? [] : ([{ type: 'separator' }, { role: 'about', label: 'About Countdeck' }] as const)),
  ];
  return [
    ...(mac ? [{ role: 'appMenu' } as const] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { label: 'View', submenu: view },
    { role: 'windowMenu' },
    { role: 'help', submenu: help },
  ];
}

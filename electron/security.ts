import type { BrowserWindowConstructorOptions } from 'electron';

/** `scheme://host[:port]` of a URL; WHATWG's `origin` is "null" for custom schemes such as app://. */
export function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return null;
  }
}

/** The pages allowed to talk to the main process: the app's own origin (and the dev server in development). */
export function trustedOrigins(appOrigin: string, devServerUrl: string | undefined): string[] {
  const devOrigin = devServerUrl === undefined ? null : originOf(devServerUrl);
  return devOrigin === null ? [appOrigin] : [appOrigin, devOrigin];
}

/** Checklist "Validate the sender of all IPC messages": only the main frame of the app's own page. */
export function isTrustedFrame(frame: { url: string; parent: unknown } | null | undefined, origins: readonly string[]): boolean {
  if (frame === null || frame === undefined || frame.parent !== null) return false;
  return isNavigationAllowed(frame.url, origins);
}

/** Checklist "Enable context isolation", "Enable process sandboxing", "Do not enable Node.js integration". */
export function secureWebPreferences(preload: string): NonNullable<BrowserWindowConstructorOptions['webPreferences']> {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    // Checklist "Disable the Auxclick feature": a middle click cannot open links.
    disableBlinkFeatures: 'Auxclick',
  };
}

/** Checklist "Limit navigation" and "Limit creation of new windows": the page stays where it is. */
export function isNavigationAllowed(url: string, origins: readonly string[]): boolean {
  const origin = originOf(url);
  return origin !== null && origins.includes(origin);
}

/** Checklist "Do not use shell.openExternal with untrusted content": only web links go to the system browser. */
export function isExternalLink(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

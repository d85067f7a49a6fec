import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_ORIGIN, resolveAppFile } from '../../electron/app-protocol';
import { isNavigationAllowed, isTrustedFrame, secureWebPreferences, trustedOrigins } from '../../electron/security';

describe('security guards', () => {
  const origins = trustedOrigins(APP_ORIGIN, undefined);

  it('trusts only the main frame of the app origin', () => {
    expect(isTrustedFrame({ url: `${APP_ORIGIN}/index.html`, parent: null }, origins)).toBe(true);
    expect(isTrustedFrame({ url: `${APP_ORIGIN}/index.html`, parent: {} }, origins)).toBe(false);
    expect(isTrustedFrame({ url: 'https://evil.example/', parent: null }, origins)).toBe(false);
    expect(isTrustedFrame({ url: 'app://other/index.html', parent: null }, origins)).toBe(false);
    expect(isTrustedFrame({ url: 'not a url', parent: null }, origins)).toBe(false);
    expect(isTrustedFrame(null, origins)).toBe(false);
  });

  it('adds the dev server only when one is configured', () => {
    expect(trustedOrigins(APP_ORIGIN, 'http://localhost:5173/')).toEqual([APP_ORIGIN, 'http://localhost:5173']);
    expect(isNavigationAllowed('http://localhost:5173/x', origins)).toBe(false);
    expect(isNavigationAllowed('file:///etc/passwd', origins)).toBe(false);
  });

  it('keeps the renderer sandboxed and isolated', () => {
    expect(secureWebPreferences('/p.cjs')).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, disableBlinkFeatures: 'Auxclick' });
  });

  it('serves only files inside the renderer folder', () => {
    const dir = resolve('/opt/countdeck/renderer');
    expect(resolveAppFile(dir, `${APP_ORIGIN}/`)).toBe(join(dir, 'index.html'));
    expect(resolveAppFile(dir, `${APP_ORIGIN}/assets/app.js`)).toBe(join(dir, 'assets/app.js'));
    expect(resolveAppFile(dir, `${APP_ORIGIN}/..%2F..%2Fetc%2Fpasswd`)).toBeNull();
    expect(resolveAppFile(dir, `${APP_ORIGIN}/%E0%A4%A`)).toBeNull();
    expect(resolveAppFile(dir, 'app://elsewhere/index.html')).toBeNull();
  });
});

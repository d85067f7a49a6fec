import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applicationMenu } from '../../electron/app-menu';
import { CONTENT_SECURITY_POLICY } from '../../electron/csp';
import { isExternalLink } from '../../electron/security';
import { describeUnsent } from '../../electron/unsent-report';
import { DEFAULT_SIZE, fitToDisplays, loadWindowState, MIN_SIZE, saveWindowState } from '../../electron/window-state';

const SCREEN = { x: 0, y: 0, width: 1920, height: 1080 };
const RIGHT_SCREEN = { x: 1920, y: 0, width: 2560, height: 1440 };

describe('window state', () => {
  it('keeps a window that is on a screen, and brings back one whose screen is gone', () => {
    const onRight = { bounds: { x: 2100, y: 100, width: 1400, height: 900 }, maximized: true };
    expect(fitToDisplays(onRight, [SCREEN, RIGHT_SCREEN])).toEqual(onRight);
    const recovered = fitToDisplays(onRight, [SCREEN]);
    expect(recovered.maximized).toBe(true);
    expect(recovered.bounds.x).toBeGreaterThanOrEqual(0);
    expect(recovered.bounds.x + recovered.bounds.width).toBeLessThanOrEqual(SCREEN.width);
  });

  it('starts centred at the default size, never below the minimum nor above the screen', () => {
    expect(fitToDisplays(null, [SCREEN])).toEqual({
      bounds: { x: (SCREEN.width - DEFAULT_SIZE.width) / 2, y: (SCREEN.height - DEFAULT_SIZE.height) / 2, ...DEFAULT_SIZE },
      maximized: false,
    });
    expect(fitToDisplays({ bounds: { x: 0, y: 0, width: 200, height: 100 }, maximized: false }, [SCREEN]).bounds).toMatchObject(MIN_SIZE);
    expect(fitToDisplays(null, [{ x: 0, y: 0, width: 1280, height: 720 }]).bounds).toMatchObject({ width: 1280, height: 720 });
  });

  it('round-trips through its file and ignores a damaged one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'countdeck-window-'));
    try {
      const file = join(dir, 'window-state.json');
      await expect(loadWindowState(file)).resolves.toBeNull();
      const state = { bounds: { x: 5, y: 6, width: 1300, height: 800 }, maximized: false };
      await saveWindowState(file, state);
      await expect(loadWindowState(file)).resolves.toEqual(state);
      await writeFile(file, '{"bounds":{"x":"left"}}');
      await expect(loadWindowState(file)).resolves.toBeNull();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('application menu', () => {
  const roles = (template: unknown): string[] => JSON.stringify(template).match(/"role":"[a-zA-Z]+"/g) ?? [];

  it('has the usual roles, About Countdeck under Help, and developer tools only in development', () => {
    const windows = applicationMenu({ platform: 'win32', development: false, openDocumentation: () => {} });
    expect(roles(windows)).toEqual(expect.arrayContaining(['"role":"fileMenu"', '"role":"editMenu"', '"role":"windowMenu"', '"role":"help"', '"role":"about"']));
    expect(JSON.stringify(windows)).toContain('About Countdeck');
    expect(roles(windows)).not.toContain('"role":"toggleDevTools"');
    expect(roles(applicationMenu({ platform: 'linux', development: true, openDocumentation: () => {} }))).toContain('"role":"toggleDevTools"');
  });

  it('puts the app menu (with About) first on macOS', () => {
    const mac = applicationMenu({ platform: 'darwin', development: false, openDocumentation: () => {} });
    expect(mac[0]).toEqual({ role: 'appMenu' });
    expect(roles(mac)).not.toContain('"role":"about"');
  });
});

describe('links, the CSP and the shutdown report', () => {
  it('opens only web links in the system browser', () => {
    expect(isExternalLink('https://cloud.tencent.com/document')).toBe(true);
    expect(isExternalLink('http://example.com')).toBe(true);
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'app://countdeck/index.html', 'smb://host/share', 'not a url']) {
      expect(isExternalLink(url), url).toBe(false);
    }
  });

  it('allows nothing inline or remote in the renderer', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("worker-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
  });

  it('the built renderer carries the CSP, and out/ holds main, preload and renderer', async () => {
    const out = resolve(import.meta.dirname, '../../out');
    expect(existsSync(out), 'run `npm run build` first (npm test does)').toBe(true);
    for (const file of ['main/main.js', 'preload/preload.cjs', 'renderer/index.html']) expect(existsSync(join(out, file)), file).toBe(true);
    const html = await readFile(join(out, 'renderer/index.html'), 'utf8');
    const meta = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)"/)?.[1]?.replaceAll('&#39;', "'");
    expect(meta).toBe(CONTENT_SECURITY_POLICY);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('tells the operator which changes were not sent, briefly', () => {
    const many = Array.from({ length: 15 }, (_, i) => ({ groupID: 'live-friday', key: `k${i}`, change: `+${i + 1}` }));
    const report = describeUnsent(many, true);
    expect(report.message).toBe('15 changes were not confirmed before Countdeck closed.');
    expect(report.detail).toContain('sends them when it starts again');
    expect(report.detail).toContain('live-friday · k0 +1');
    expect(report.detail).toContain('… and 3 more');
    expect(describeUnsent(many.slice(0, 1), false).message).toBe('1 change was not confirmed before Countdeck closed.');
    expect(describeUnsent(many.slice(0, 1), false).detail).toContain('they are lost');
  });
});

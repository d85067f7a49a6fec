import { describe, expect, it } from 'vitest';
import { builderConfig } from '../../electron-builder.config';

type Target = { target: string; arch: string[] };
const targets = (list: unknown): Target[] => list as Target[];

describe('the installer configuration', () => {
  const config = builderConfig({});

  it('builds NSIS for Windows, DMG and ZIP for macOS, AppImage and deb for Linux, on the right architectures', () => {
    expect(targets(config.win?.target)).toEqual([{ target: 'nsis', arch: ['x64', 'arm64'] }]);
    expect(targets(config.mac?.target)).toEqual([
      { target: 'dmg', arch: ['x64', 'arm64'] },
      { target: 'zip', arch: ['x64', 'arm64'] },
    ]);
    expect(targets(config.linux?.target).map((entry) => entry.target)).toEqual(['AppImage', 'deb']);
  });

  it('names the app and packs only the build output, in an asar', () => {
    expect(config.appId).toBe('com.countdeck.desktop');
    expect(config.productName).toBe('Countdeck');
    expect(config.asar).toBe(true);
    expect(config.files).toEqual(['out/**/*', 'package.json']);
  });

  it('flips the fuses: no run-as-node, NODE_OPTIONS or inspect; cookie encryption, asar integrity, app only from asar', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('uses the hardened runtime and skips signing and notarisation cleanly without credentials', () => {
    expect(config.mac).toMatchObject({ hardenedRuntime: true, identity: null, notarize: false });
    expect(config.publish).toBeNull();
  });

  it('signs and notarises when the environment provides the credentials', () => {
    const signed = builderConfig({ CSC_LINK: 'cert.p12', APPLE_TEAM_ID: 'TEAM', APPLE_ID: 'a@b.c', APPLE_APP_SPECIFIC_PASSWORD: 'pw' });
    expect(signed.mac?.identity).toBeUndefined();
    expect(signed.mac?.notarize).toBe(true);
    expect(builderConfig({ APPLE_TEAM_ID: 'TEAM' }).mac?.notarize).toBe(false);
  });

  it('points at icons the icon script makes', () => {
    expect(config.win?.icon).toBe('build/icon.ico');
    expect(config.mac?.icon).toBe('build/icon.icns');
    expect(config.linux?.icon).toBe('build/icons');
  });
});

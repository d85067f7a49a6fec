import type { Configuration } from 'electron-builder';

type Env = Record<string, string | undefined>;

/** macOS signing runs when a certificate is given (CSC_LINK or CSC_NAME); otherwise the app is left unsigned. */
const canSignMac = (env: Env): boolean => Boolean(env['CSC_LINK'] || env['CSC_NAME']);

/** Notarisation needs a team and either an Apple ID with an app-specific password or an API key. */
const canNotarize = (env: Env): boolean =>
  Boolean(env['APPLE_TEAM_ID'] && ((env['APPLE_ID'] && env['APPLE_APP_SPECIFIC_PASSWORD']) || (env['APPLE_API_KEY'] && env['APPLE_API_KEY_ID'])));

/**
 * One configuration for every installer: NSIS on Windows, DMG and ZIP on macOS, AppImage and deb on
 * Linux. Electron's fuses are flipped at packaging (checklist "Use Electron fuses"); signing and
 * notarisation come from the environment when present and are skipped cleanly when not.
 */
export function builderConfig(env: Env = process.env): Configuration {
  return {
    appId: 'com.countdeck.desktop',
    productName: 'Countdeck',
    copyright: 'Copyright © 2026 Countdeck contributors',
    directories: { output: 'dist', buildResources: 'build' },
    files: ['out/**/*', 'package.json'],
    asar: true,
    electronFuses: {
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    },
    win: {
      target: [{ target: 'nsis', arch: ['x64', 'arm64'] }],
      icon: 'build/icon.ico',
    },
    nsis: { oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true },
    mac: {
      target: [
        { target: 'dmg', arch: ['x64', 'arm64'] },
        { target: 'zip', arch: ['x64', 'arm64'] },
      ],
      category: 'public.app-category.productivity',
      icon: 'build/icon.icns',
      hardenedRuntime: true,
      entitlements: 'build/entitlements.mac.plist',
      entitlementsInherit: 'build/entitlements.mac.plist',
      identity: canSignMac(env) ? undefined : null,
      notarize: canNotarize(env),
    },
    linux: {
      target: [
        { target: 'AppImage', arch: ['x64'] },
        { target: 'deb', arch: ['x64'] },
      ],
      icon: 'build/icons',
      category: 'Network',
      synopsis: 'Console for Tencent Cloud Chat group counters',
      maintainer: 'Countdeck contributors <maintainers@countdeck.dev>',
    },
    publish: null,
  };
}

export default builderConfig();

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../electron/core/logger';
import { openKeychainAccountStore, secretStorageMode, type SafeStorageLike } from '../../electron/keychain-account-store';

const SIG = 'eJwtzEELgjAYBuC-8p2LcDrnFDrMxlgiZyzoYyZmCnPGZKbQr0';

/** A stand-in for Electron's safeStorage that really transforms the text (reversed, prefixed). */
function fakeSafeStorage(options: { available?: boolean; backend?: string } = {}): SafeStorageLike {
  return {
    isAsyncEncryptionAvailable: async () => options.available ?? true,
    encryptStringAsync: async (text: string) => Buffer.from(`sealed:${[...text].reverse().join('')}`),
    decryptStringAsync: async (sealed: Buffer) => {
      const text = sealed.toString();
      if (!text.startsWith('sealed:')) throw new Error('not sealed by this keychain');
      return { result: [...text.slice(7)].reverse().join(''), shouldReEncrypt: false };
    },
    getSelectedStorageBackend: () => (options.backend ?? 'gnome_libsecret') as never,
  };
}

describe('secretStorageMode', () => {
  it('uses the keychain where there is one, and fails closed to memory where there is not', async () => {
    expect(await secretStorageMode(fakeSafeStorage(), 'linux')).toEqual({ mode: 'keychain' });
    expect(await secretStorageMode(fakeSafeStorage({ backend: 'basic_text' }), 'linux')).toEqual({ mode: 'memory', reason: 'no-keyring' });
    expect(await secretStorageMode(fakeSafeStorage({ backend: 'unknown' }), 'linux')).toEqual({ mode: 'memory', reason: 'no-keyring' });
    expect(await secretStorageMode(fakeSafeStorage({ backend: 'basic_text' }), 'darwin')).toEqual({ mode: 'keychain' });
    expect(await secretStorageMode(fakeSafeStorage({ available: false }), 'win32')).toEqual({ mode: 'memory', reason: 'no-keychain' });
  });
});

describe('openKeychainAccountStore', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'countdeck-account-'));
    file = join(dir, 'account.json');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('saves the credential sealed, never in clear, and reads it back', async () => {
    const store = await openKeychainAccountStore(fakeSafeStorage(), file, silentLogger, 'linux');
    await store.save({ SDKAppID: 1400000001, userID: 'host', credential: { kind: 'userSig', userSig: SIG } });
    const onDisk = await readFile(file, 'utf8');
    expect(onDisk).toContain('"userID":"host"');
    expect(onDisk).not.toContain(SIG);
    const reopened = await openKeychainAccountStore(fakeSafeStorage(), file, silentLogger, 'linux');
    await expect(reopened.load()).resolves.toEqual({ SDKAppID: 1400000001, userID: 'host', credential: { kind: 'userSig', userSig: SIG } });
    await reopened.forget();
    await expect(reopened.load()).resolves.toBeNull();
  });

  it('writes nothing to disk without a real keychain', async () => {
    const store = await openKeychainAccountStore(fakeSafeStorage({ backend: 'basic_text' }), file, silentLogger, 'linux');
    expect(store.storage).toEqual({ mode: 'memory', reason: 'no-keyring' });
    await store.save({ SDKAppID: 1400000001, userID: 'host', credential: { kind: 'secretKey', secretKey: 'a'.repeat(64) } });
    await expect(store.load()).resolves.toMatchObject({ userID: 'host' });
    await expect(readFile(file, 'utf8')).rejects.toThrow();
  });

  it('ignores a damaged or foreign file instead of failing', async () => {
    const store = await openKeychainAccountStore(fakeSafeStorage(), file, silentLogger, 'linux');
    for (const content of ['{not json', JSON.stringify({ version: 1, SDKAppID: 1, userID: 'x', credential: 'userSig', sealed: 'bm90IHNlYWxlZA==' }), '{"version":2}']) {
      await writeFile(file, content);
      await expect(store.load()).resolves.toBeNull();
    }
  });
});

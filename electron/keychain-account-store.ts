import type { SafeStorage } from 'electron';
import { readFile, rm } from 'node:fs/promises';
import { z } from 'zod';
import type { SecretStorage } from '../shared/types';
import { writeFileAtomically } from './atomic-file';
import { memoryAccountStore, type AccountStore, type StoredAccount } from './core/account-store';
import type { Logger } from './core/logger';

export type SafeStorageLike = Pick<SafeStorage, 'isAsyncEncryptionAvailable' | 'encryptStringAsync' | 'decryptStringAsync'> &
  Partial<Pick<SafeStorage, 'getSelectedStorageBackend'>>;

/** Linux backends that only obscure secrets (a fixed password) or could not be told apart: not a keychain. */
const NOT_A_KEYRING = new Set(['basic_text', 'unknown']);

/**
 * Where secrets may be kept on this system. Fails closed, as VS Code does: without a real keychain
 * (Linux falls back to `basic_text`, a fixed password) secrets stay in memory for this run only.
 */
export async function secretStorageMode(safeStorage: SafeStorageLike, platform: NodeJS.Platform): Promise<SecretStorage> {
  if (!(await safeStorage.isAsyncEncryptionAvailable())) {
    return { mode: 'memory', reason: 'no-keychain' };
  }
  const backend = platform === 'linux' ? safeStorage.getSelectedStorageBackend?.() : undefined;
  if (backend !== undefined && NOT_A_KEYRING.has(backend)) {
    return { mode: 'memory', reason: 'no-keyring' };
  }
  return { mode: 'keychain' };
}

const SavedAccount = z.object({
  version: z.literal(1),
  SDKAppID: z.number().int().positive(),
  userID: z.string().min(1),
  credential: z.enum(['userSig', 'secretKey']),
  /** The credential, encrypted by the OS keychain, in base64. */
  sealed: z.string().min(1),
});

/** The remembered account in a file, its credential encrypted with `safeStorage`; memory only where that is not safe. */
export async function openKeychainAccountStore(safeStorage: SafeStorageLike, file: string, log: Logger, platform = process.platform): Promise<AccountStore> {
  const storage = await secretStorageMode(safeStorage, platform);
  if (storage.mode === 'memory') return memoryAccountStore(storage.reason);
  return {
    storage,
    load: async () => {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch {
        return null;
      }
      try {
        const saved = SavedAccount.parse(JSON.parse(text));
        const { result } = await safeStorage.decryptStringAsync(Buffer.from(saved.sealed, 'base64'));
        const credential = saved.credential === 'userSig' ? { kind: 'userSig' as const, userSig: result } : { kind: 'secretKey' as const, secretKey: result };
        return { SDKAppID: saved.SDKAppID, userID: saved.userID, credential } satisfies StoredAccount;
      } catch (error) {
        log.warn(`The remembered account could not be read and is ignored: ${error instanceof Error ? error.message : String(error)}`);
        return null;
      }
    },
    save: async ({ SDKAppID, userID, credential }) => {
      const secret = credential.kind === 'userSig' ? credential.userSig : credential.secretKey;
      const sealed = (await safeStorage.encryptStringAsync(secret)).toString('base64');
      const saved: z.infer<typeof SavedAccount> = { version: 1, SDKAppID, userID, credential: credential.kind, sealed };
      await writeFileAtomically(file, JSON.stringify(saved), 0o600);
    },
    forget: () => rm(file, { force: true }),
  };
}

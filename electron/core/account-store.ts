import type { Credential } from '../../shared/account-validation';
import type { MemoryOnlyReason, SecretStorage } from '../../shared/types';

/** A Tencent Cloud Chat account with what signs it in; lives only in the main process. */
export interface StoredAccount {
  SDKAppID: number;
  userID: string;
  credential: Credential;
}

/**
 * Where the remembered account is kept. The Electron implementation encrypts the credential with
 * the OS keychain (`safeStorage`) and, where there is none, keeps it in memory for this run only.
 */
export interface AccountStore {
  readonly storage: SecretStorage;
  load(): Promise<StoredAccount | null>;
  save(account: StoredAccount): Promise<void>;
  forget(): Promise<void>;
}

/** An account store that keeps everything in memory: tests, and systems without a keychain. */
export function memoryAccountStore(reason: MemoryOnlyReason): AccountStore {
  let account: StoredAccount | null = null;
  return {
    storage: { mode: 'memory', reason },
    load: async () => account,
    save: async (next) => {
      account = next;
    },
    forget: async () => {
      account = null;
    },
  };
}

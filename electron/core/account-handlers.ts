import type { Credential } from '../../shared/account-validation';
import { CountdeckError, ErrorCode } from '../../shared/errors';
import type { MethodsOf } from '../../shared/ipc-contract';
import type { ConnectionInfo } from '../../shared/types';
import type { AccountStore, StoredAccount } from './account-store';
import type { Connection } from './connection';
import { embeddedBackend, tencentBackend } from './backend';
import type { LocalService } from './chat/local';
import type { SdkFactory } from './chat/tencent/sdk-surface';
import type { Logger } from './logger';
import type { RedactingLogger } from './redacting-logger';
import type { Handlers } from './router';
import type { Switchboard } from './switchboard';

export interface AccountHandlerDeps {
  switchboard: Switchboard;
  accounts: AccountStore;
  service: LocalService;
  /** The user the embedded service signs in as. */
  embeddedUserID: string;
  loadSdk: (log: Logger) => Promise<SdkFactory>;
  log: RedactingLogger;
  tencentSignInTimeoutMs?: number;
}

const sameAccount = (a: Pick<StoredAccount, 'SDKAppID' | 'userID'>, b: Pick<StoredAccount, 'SDKAppID' | 'userID'>): boolean =>
  a.SDKAppID === b.SDKAppID && a.userID === b.userID;

export interface AccountHandlers {
  handlers: Pick<Handlers, MethodsOf<'accounts'>>;
  /** At start-up: switches to the remembered account, if any, and signs in in the background (the SDK may take long to fail). */
  resume(): Promise<boolean>;
}

/** Switching between the embedded service and Tencent Cloud Chat accounts, and remembering one. */
export function createAccountHandlers(deps: AccountHandlerDeps): AccountHandlers {
  const { switchboard, accounts, log } = deps;

  const info = async (): Promise<ConnectionInfo> => {
    const remembered = await accounts.load();
    const inUse = switchboard.current.backend.account;
    const account = inUse ?? (remembered && { SDKAppID: remembered.SDKAppID, userID: remembered.userID, credential: remembered.credential.kind });
    return {
      backend: switchboard.current.backend.kind,
      account,
      remembered: remembered !== null && account !== null && sameAccount(remembered, account),
      secretStorage: accounts.storage,
    };
  };

  /** Switches to an account, not yet signed in; a failed sign-in leaves the connection in place so its reason shows. */
  const openAccount = async (account: StoredAccount): Promise<Connection> => {
    const createSdk = await deps.loadSdk(log).catch((error: unknown) => {
      throw new CountdeckError(ErrorCode.INTERNAL, `The Tencent Cloud Chat SDK could not be loaded: ${String(error)}`);
    });
    return switchboard.switchTo(() => tencentBackend(createSdk, account, log, deps.tencentSignInTimeoutMs));
  };

  const renew = async (credential: Credential): Promise<void> => {
    const connection = switchboard.current;
    const account = connection.backend.account;
    if (account === null) throw new CountdeckError(ErrorCode.INVALID_REQUEST, 'The embedded service needs no credential.');
    connection.backend.renew(credential);
    await connection.signIn();
    const remembered = await accounts.load();
    if (remembered !== null && sameAccount(remembered, account)) await accounts.save({ ...remembered, credential });
  };

  const handlers: Pick<Handlers, MethodsOf<'accounts'>> = {
    getConnection: info,
    connectTencent: async ({ SDKAppID, userID, credential, remember }) => {
      const account = { SDKAppID, userID, credential };
      await (await openAccount(account)).signIn();
      if (remember) await accounts.save(account);
      return info();
    },
    renewSignIn: async ({ credential }) => {
      await renew(credential);
      return switchboard.current.session.snapshot();
    },
    useEmbedded: async () => {
      const connection = await switchboard.switchTo(() => embeddedBackend(deps.service, deps.embeddedUserID));
      await connection.signIn();
      return info();
    },
    forgetAccount: async () => {
      await accounts.forget();
      return info();
    },
  };

  const resume = async (): Promise<boolean> => {
    const remembered = await accounts.load();
    if (remembered === null) return false;
    const connection = await openAccount(remembered);
    connection.signIn().catch((error: unknown) => log.warn(`Signing in to the remembered account: ${String(error)}`));
    return true;
  };

  return { handlers, resume };
}

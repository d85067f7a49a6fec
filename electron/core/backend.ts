import type { Credential } from '../../shared/account-validation';
import type { AccountSummary, BackendKind } from '../../shared/types';
import type { StoredAccount } from './account-store';
import type { ChatLike } from './chat/chat-like';
import type { LocalChatClient, LocalService } from './chat/local';
import { routeSdkConsole } from './chat/tencent/sdk-console';
import type { SdkFactory } from './chat/tencent/sdk-surface';
import { TencentChat } from './chat/tencent/tencent-chat';
import { generateUserSig } from './chat/tencent/user-sig';
import type { RedactingLogger } from './redacting-logger';

/** One service to talk to, with whom to sign in as: the embedded service, or a Tencent Cloud Chat account. */
export interface Backend {
  readonly kind: BackendKind;
  /** Which service's counters these are, in the history: 'local', or 'tencent:<SDKAppID>'. */
  readonly source: string;
  /** Whose changes these are, in the intent journal: the service and the user. */
  readonly journalAccount: string;
  readonly client: ChatLike;
  /** The account in use, for the renderer (never its secret). */
  readonly account: AccountSummary | null;
  /** Values and changes must fit a JS number exactly to be sent (the Tencent SDK's numbers). */
  readonly exactNumbersOnly: boolean;
  readonly signInTimeoutMs: number;
  /** Who to sign in as, now. */
  credentials(): { userID: string; userSig: string };
  /** Takes a fresh credential (after a UserSig expired, say). */
  renew(credential: Credential): void;
  dispose(): Promise<void>;
}

/** The embedded service, signed in as `userID`. */
export function embeddedBackend(service: LocalService, userID: string): Backend & { client: LocalChatClient } {
  const client = service.createClient({ unlimitedAVChatRoom: true });
  return {
    kind: 'local',
    source: 'local',
    journalAccount: `local:${userID}`,
    client,
    account: null,
    exactNumbersOnly: false,
    signInTimeoutMs: 15_000,
    credentials: () => ({ userID, userSig: 'embedded' }),
    renew: () => {},
    dispose: () => client.destroy(),
  };
}

/** How long a Tencent sign-in may take before it is reported as failed (the SDK itself never gives up). */
export const TENCENT_SIGN_IN_TIMEOUT_MS = 10_000;

/**
 * A Tencent Cloud Chat account through `@tencentcloud/chat`, created with `unlimitedAVChatRoom` so
 * several live rooms can be watched at once. Its secrets are registered with the logger, which then
 * never writes them, and the SDK's console output goes to the log while the backend lives.
 */
export function tencentBackend(createSdk: SdkFactory, account: StoredAccount, log: RedactingLogger, signInTimeoutMs = TENCENT_SIGN_IN_TIMEOUT_MS): Backend {
  const { SDKAppID, userID } = account;
  let userSig = '';
  const renew = (credential: Credential): void => {
    if (credential.kind === 'secretKey') log.protect(credential.secretKey);
    userSig = credential.kind === 'userSig' ? credential.userSig : generateUserSig(SDKAppID, credential.secretKey, userID);
    log.protect(userSig);
  };
  renew(account.credential);
  const restoreConsole = routeSdkConsole(log);
  const client = new TencentChat(() => createSdk({ SDKAppID, unlimitedAVChatRoom: true }), log);
  return {
    kind: 'tencent',
    source: `tencent:${SDKAppID}`,
    journalAccount: `tencent:${SDKAppID}:${userID}`,
    client,
    account: { SDKAppID, userID, credential: account.credential.kind },
    exactNumbersOnly: true,
    signInTimeoutMs,
    credentials: () => ({ userID, userSig }),
    renew,
    dispose: async () => {
      await client.destroy().catch((error: unknown) => log.warn(`Closing the Tencent SDK: ${String(error)}`));
      restoreConsole();
    },
  };
}

import type { Result } from '../../../../shared/result';
import type { Clock } from '../../clock';
import type { ChatGroup, CounterMap, GroupCounterUpdate, JoinStatus, KickedOutType } from '../chat-like';
import type { Courier } from './courier';
import type { CounterWrite } from './group-state';

/** The service's logger. */
export type LogFn = (level: 'info' | 'warn' | 'error', message: string) => void;

/** What the service needs from a client: who it is, whether it hears events, and how to end its session. */
export interface ClientLink {
  /** The signed-in user, or null. */
  readonly userID: string | null;
  /** Delivers a counter event, if the client is still signed in and connected when it arrives. */
  receive(update: GroupCounterUpdate): void;
  /** Ends the session from the service's side (another login of the same user, or shutdown). */
  endByService(kick: KickedOutType | null): void;
}

/** What a client asks of the service; every answer is a Result the client turns into a reply. */
export interface ServicePort {
  readonly clock: Clock;
  readonly courier: Courier;
  readonly log: LogFn;
  /** Signs a client in, ending any other session of the same user. */
  signIn(client: ClientLink, userID: string): Result<true>;
  /** Drops a destroyed client. */
  forget(client: ClientLink): void;
  groupList(userID: string): Result<{ groupList: ChatGroup[] }>;
  joinGroup(
    userID: string,
    groupID: string,
    unlimitedAVChatRoom: boolean,
  ): Result<{ status: JoinStatus; group: ChatGroup }>;
  getCounters(
    userID: string,
    groupID: string,
    keyList: readonly string[] | undefined,
  ): Result<{ counters: CounterMap; groupCounterSeq: number }>;
  write(userID: string, groupID: string, write: CounterWrite): Result<{ counters: CounterMap }>;
}

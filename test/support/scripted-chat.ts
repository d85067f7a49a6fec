import {
  ChatError,
  type ChatEventMap,
  type ChatEventName,
  type ChatHandler,
  type ChatLike,
  type ChatResponse,
} from '../../electron/core/chat/chat-like';
import { ErrorCode } from '../../shared/errors';

type LoginReply = ChatResponse<{ repeatLogin: boolean }>;

/** One login call the test has not answered yet. */
export interface PendingLogin {
  credentials: { userID: string; userSig: string };
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * A ChatLike double driven by the test: it records calls, lets the test answer each login when it
 * chooses, and emits SDK events on demand. Counter and group calls are not scripted: they reject.
 */
export class ScriptedChat implements ChatLike {
  /** Every login not yet answered, oldest first. */
  readonly logins: PendingLogin[] = [];
  logoutCalls = 0;
  /** What `logout()` does: answer, or fail with this error. */
  logoutError: unknown = null;
  private readonly handlers = new Map<ChatEventName, Set<ChatHandler<ChatEventName>>>();

  login(credentials: { userID: string; userSig: string }): Promise<LoginReply> {
    return new Promise<LoginReply>((resolve, reject) => {
      const pending: PendingLogin = {
        credentials,
        resolve: () => resolve({ code: 0, data: { repeatLogin: false } }),
        reject,
      };
      this.logins.push(pending);
    });
  }

  /** The oldest unanswered login, taken off the list; throws when there is none. */
  takeLogin(): PendingLogin {
    const pending = this.logins.shift();
    if (pending === undefined) throw new Error('No login is waiting for an answer.');
    return pending;
  }

  logout(): Promise<ChatResponse<object>> {
    this.logoutCalls += 1;
    return this.logoutError === null ? Promise.resolve({ code: 0, data: {} }) : Promise.reject(this.logoutError);
  }

  async destroy(): Promise<void> {
    this.handlers.clear();
  }

  on<N extends ChatEventName>(name: N, handler: ChatHandler<N>): void {
    const set = this.handlers.get(name) ?? new Set();
    set.add(handler as unknown as ChatHandler<ChatEventName>);
    this.handlers.set(name, set);
  }

  off<N extends ChatEventName>(name: N, handler: ChatHandler<N>): void {
    this.handlers.get(name)?.delete(handler as unknown as ChatHandler<ChatEventName>);
  }

  /** Emits an SDK event to every handler, as the SDK does (synchronously, in registration order). */
  emit<N extends ChatEventName>(name: N, ...data: ChatEventMap[N] extends undefined ? [] : [ChatEventMap[N]]): void {
    for (const handler of [...(this.handlers.get(name) ?? [])]) handler({ name, data: data[0] as ChatEventMap[N] });
  }

  /** How many handlers are attached for one event, or for all of them. */
  handlerCount(name?: ChatEventName): number {
    if (name !== undefined) return this.handlers.get(name)?.size ?? 0;
    return [...this.handlers.values()].reduce((sum, set) => sum + set.size, 0);
  }

  getGroupList = notScripted('getGroupList');
  joinGroup = notScripted('joinGroup');
  getGroupCounters = notScripted('getGroupCounters');
  setGroupCounters = notScripted('setGroupCounters');
  increaseGroupCounter = notScripted('increaseGroupCounter');
  decreaseGroupCounter = notScripted('decreaseGroupCounter');
}

function notScripted(method: string): () => Promise<never> {
  return () => Promise.reject(new ChatError(ErrorCode.SDK_NOT_READY, `${method} is not scripted in this test double.`));
}

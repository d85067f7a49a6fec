import type { Result } from '../../../../shared/result';
import { ChatError, type ChatResponse } from '../chat-like';
import type { Courier } from './courier';

/** A call waiting for the link: sent on reconnect, failed if the session ends first. */
interface PendingCall {
  send(): void;
  fail(error: ChatError): void;
}

/**
 * One client's link to the service: sends calls, holds them while the network is down and sends
 * them in order on reconnect (as the SDK re-sends pending requests), and brings replies back
 * through the courier.
 */
export class Outbox {
  private state: 'connected' | 'disconnected' = 'connected';
  private held: PendingCall[] = [];

  constructor(private readonly courier: Courier) {}

  get network(): 'connected' | 'disconnected' {
    return this.state;
  }

  /** Switches the link; on reconnect the held calls go out in the order they were made. */
  setNetwork(state: 'connected' | 'disconnected'): void {
    this.state = state;
    if (state === 'disconnected') return;
    const held = this.held;
    this.held = [];
    for (const call of held) call.send();
  }

  /** Sends a call now, or holds it while the link is down; `afterReply` runs once a success is delivered. */
  dispatch<T>(send: () => Result<T>, afterReply?: () => void): Promise<ChatResponse<T>> {
    return new Promise((resolve, reject) => {
      const call: PendingCall = {
        send: () => {
          const result = send();
          this.courier.send(() => {
            settle(result, resolve, reject);
            if (result.ok) afterReply?.();
          });
        },
        fail: (error) => this.courier.send(() => reject(error)),
      };
      if (this.state === 'connected') call.send();
      else this.held.push(call);
    });
  }

  /** A reply that needs no link (logout is local to the client). */
  answer<T>(result: Result<T>): Promise<ChatResponse<T>> {
    return new Promise((resolve, reject) => this.courier.send(() => settle(result, resolve, reject)));
  }

  /** Fails every held call with `error`, e.g. when the session ends before they were sent. */
  failHeld(error: ChatError): void {
    const held = this.held;
    this.held = [];
    for (const call of held) call.fail(error);
  }
}

function settle<T>(
  result: Result<T>,
  resolve: (response: ChatResponse<T>) => void,
  reject: (error: ChatError) => void,
): void {
  if (result.ok) resolve({ code: 0, data: result.value });
  else reject(new ChatError(result.error.code, result.error.message));
}

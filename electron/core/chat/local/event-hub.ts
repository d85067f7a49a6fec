import type { ChatEventMap, ChatEventName, ChatHandler } from '../chat-like';

// Any handler fits `(event: never) => void`; emit() narrows it back by event name.
type StoredHandler = (event: never) => void;

/** One client's event handlers, SDK style: `on`, `off`, and delivery as `{ name, data }`. */
export class EventHub {
  private readonly handlers = new Map<ChatEventName, Set<StoredHandler>>();

  constructor(private readonly onHandlerError: (name: ChatEventName, error: unknown) => void) {}

  /** Adds a handler; adding the same one twice keeps one. */
  on<N extends ChatEventName>(name: N, handler: ChatHandler<N>): void {
    const set = this.handlers.get(name) ?? new Set<StoredHandler>();
    set.add(handler);
    this.handlers.set(name, set);
  }

  /** Removes a handler. */
  off<N extends ChatEventName>(name: N, handler: ChatHandler<N>): void {
    this.handlers.get(name)?.delete(handler);
  }

  /** Calls every handler of `name`; one that throws is reported and does not stop the others. */
  emit<N extends ChatEventName>(name: N, data: ChatEventMap[N]): void {
    for (const handler of [...(this.handlers.get(name) ?? [])]) {
      try {
        (handler as ChatHandler<N>)({ name, data });
      } catch (error) {
        this.onHandlerError(name, error);
      }
    }
  }

  /** Drops every handler. */
  clear(): void {
    this.handlers.clear();
  }
}

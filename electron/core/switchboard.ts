import { ErrorCode, type ErrorInfo } from '../../shared/errors';
import type { Backend } from './backend';
import { Connection, type ConnectionDeps } from './connection';

const SWITCHED: ErrorInfo = { code: ErrorCode.CONNECTION_CLOSED, message: 'The connection was switched before this change was sent.' };

/** Holds the connection in use and replaces it when the operator switches service or account. */
export class Switchboard {
  private connection: Connection;
  private nextID = 1;

  constructor(
    first: Backend,
    private readonly deps: ConnectionDeps,
  ) {
    this.connection = new Connection(this.nextID++, first, deps);
  }

  get current(): Connection {
    return this.connection;
  }

  /** Closes the connection in use (its queue fails, saying so) and opens one to `backend`, not yet signed in. */
  async switchTo(backend: Backend): Promise<Connection> {
    const previous = this.connection;
    this.connection = new Connection(this.nextID++, backend, this.deps);
    await previous.close(SWITCHED);
    return this.connection;
  }

  /** Closes the connection in use for good. */
  close(reason: ErrorInfo): Promise<void> {
    return this.connection.close(reason);
  }
}

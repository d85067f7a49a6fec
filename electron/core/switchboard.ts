import { ErrorCode, type ErrorInfo } from '../../shared/errors';
import type { Backend } from './backend';
import { Connection, type ConnectionDeps } from './connection';

export interface SwitchboardDeps extends ConnectionDeps {
  /** Runs before a connection closes for another, while its updates are still its own. */
  beforeSwitch?: () => void;
}

const SWITCHED: ErrorInfo = { code: ErrorCode.CONNECTION_CLOSED, message: 'The connection was switched before this change was sent.' };

/** Holds the connection in use and replaces it when the operator switches service or account. */
export class Switchboard {
  private connection: Connection;
  private nextID = 1;

  constructor(
    first: Backend,
    private readonly deps: SwitchboardDeps,
  ) {
    this.connection = new Connection(this.nextID++, first, deps);
  }

  get current(): Connection {
    return this.connection;
  }

  /**
   * Closes the connection in use (its queue fails, saying so), then opens one to the backend `open`
   * makes, not yet signed in. The old backend goes first: the SDK hands out one instance per
   * SDKAppID, so a new one for the same application must not be made while the old one lives.
   */
  async switchTo(open: () => Backend): Promise<Connection> {
    this.deps.beforeSwitch?.();
    await this.connection.close(SWITCHED);
    this.connection = new Connection(this.nextID++, open(), this.deps);
    return this.connection;
  }

  /** Closes the connection in use for good; its open changes stay in the journal for the next run. */
  close(reason: ErrorInfo): Promise<void> {
    return this.connection.close(reason, true);
  }
}

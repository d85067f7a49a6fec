import type { UnconfirmedChange } from './core/ledger/write-ledger';

/** Lines shown at most; the log keeps every one. */
const SHOWN = 12;

/** What to tell the operator when changes could not reach the service before Countdeck closed. */
export function describeUnsent(unsent: readonly UnconfirmedChange[]): { message: string; detail: string } {
  const lines = unsent.slice(0, SHOWN).map((change) => `${change.groupID} · ${change.key} ${change.change}`);
  if (unsent.length > SHOWN) lines.push(`… and ${unsent.length - SHOWN} more (all listed in the log).`);
  return {
    message: unsent.length === 1 ? '1 change was not sent before Countdeck closed.' : `${unsent.length} changes were not sent before Countdeck closed.`,
    detail: `The service did not confirm these, so they may not have been applied:\n\n${lines.join('\n')}`,
  };
}

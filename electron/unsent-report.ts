import type { PendingChange } from '../shared/types';

/** Lines shown at most; the log keeps every one. */
const SHOWN = 12;

type Unsent = Pick<PendingChange, 'groupID' | 'key' | 'change'>;

/**
 * What to tell the operator when changes could not reach the service before Countdeck closed:
 * `kept` when the journal is on disk, so the next start sends them (checking first any whose
 * outcome was lost).
 */
export function describeUnsent(unsent: readonly Unsent[], kept: boolean): { message: string; detail: string } {
  const lines = unsent.slice(0, SHOWN).map((change) => `${change.groupID} · ${change.key} ${change.change}`);
  if (unsent.length > SHOWN) lines.push(`… and ${unsent.length - SHOWN} more (all listed in the log).`);
  const what = kept
    ? 'Countdeck keeps them and sends them when it starts again; any that may have reached the service is checked first, never sent twice.'
    : 'This run kept its data in memory only, so they are lost: the service did not confirm them, and they may not have been applied.';
  return {
    message: unsent.length === 1 ? '1 change was not confirmed before Countdeck closed.' : `${unsent.length} changes were not confirmed before Countdeck closed.`,
    detail: `${what}\n\n${lines.join('\n')}`,
  };
}

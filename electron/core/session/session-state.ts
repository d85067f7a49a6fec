import type { SessionState } from '../../../shared/types';

/** The moves a session may make; anything else is a bug or a late event, and is ignored. */
const TRANSITIONS: Record<SessionState, readonly SessionState[]> = {
  'signed-out': ['signing-in'],
  'signing-in': ['ready', 'failed', 'kicked-out', 'signed-out'],
  ready: ['reconnecting', 'kicked-out', 'failed', 'signed-out'],
  reconnecting: ['ready', 'kicked-out', 'failed', 'signed-out'],
  'kicked-out': ['signing-in', 'signed-out'],
  failed: ['signing-in', 'signed-out'],
};

/** Whether a session in state `from` may move to `to`. */
export function canTransition(from: SessionState, to: SessionState): boolean {
  return TRANSITIONS[from].includes(to);
}

/** States in which the session will not become ready again without a new sign-in. */
export function isTerminal(state: SessionState): boolean {
  return state === 'signed-out' || state === 'kicked-out' || state === 'failed';
}

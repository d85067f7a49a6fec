import type { Logger } from '../../logger';

type ConsoleMethod = 'debug' | 'log' | 'info' | 'warn' | 'error';
const LEVELS: Record<ConsoleMethod, keyof Logger | null> = { debug: null, log: 'info', info: 'info', warn: 'warn', error: 'error' };

/** The SDK prints through `console`, every line starting with its "Chat" tag. */
function isSdkLine(args: readonly unknown[]): boolean {
  return typeof args[0] === 'string' && /^\s*(%c\s*)?Chat\b/.test(args[0]);
}

/**
 * Sends the SDK's console output to the app's log (debug lines dropped) instead of stdout, since
 * the package has no logger hook; everything else printed to the console passes through untouched.
 * Returns the undo.
 */
export function routeSdkConsole(log: Logger, target: Pick<Console, ConsoleMethod> = console): () => void {
  const originals = new Map<ConsoleMethod, (...args: unknown[]) => void>();
  for (const method of Object.keys(LEVELS) as ConsoleMethod[]) {
    const original = target[method].bind(target) as (...args: unknown[]) => void;
    originals.set(method, target[method] as (...args: unknown[]) => void);
    target[method] = (...args: unknown[]) => {
      if (!isSdkLine(args)) return original(...args);
      const level = LEVELS[method];
      if (level !== null) log[level](args.filter((arg) => typeof arg !== 'string' || !arg.startsWith('background')).map(String).join(' ').replace(/%c/g, '').trim());
    };
  }
  return () => {
    for (const [method, original] of originals) target[method] = original;
  };
}

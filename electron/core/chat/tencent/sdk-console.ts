import type { Logger } from '../../logger';

type ConsoleMethod = 'debug' | 'log' | 'info' | 'warn' | 'error';
const LEVELS: Record<ConsoleMethod, keyof Logger | null> = { debug: null, log: 'info', info: 'info', warn: 'warn', error: 'error' };

/** The SDK prints through `console`, every line starting with its "Chat" tag. */
function isSdkLine(args: readonly unknown[]): boolean {
  return typeof args[0] === 'string' && /^\s*(%c\s*)?Chat\b/.test(args[0]);
}

function sdkText(args: readonly unknown[]): string {
  return args
    .filter((arg) => typeof arg !== 'string' || !arg.startsWith('background'))
    .map(String)
    .join(' ')
    .replace(/%c/g, '')
    .trim();
}

type Target = Pick<Console, ConsoleMethod>;

/** Per console: the loggers SDK lines may go to (the newest wins), and how to put the console back. */
const patched = new WeakMap<Target, { routes: Logger[]; restore: () => void }>();

function patch(target: Target, routes: readonly Logger[]): () => void {
  const originals = Object.fromEntries((Object.keys(LEVELS) as ConsoleMethod[]).map((method) => [method, target[method]])) as Record<
    ConsoleMethod,
    (...args: unknown[]) => void
  >;
  for (const method of Object.keys(LEVELS) as ConsoleMethod[]) {
    target[method] = (...args: unknown[]) => {
      const log = routes[routes.length - 1];
      if (log === undefined || !isSdkLine(args)) return originals[method].apply(target, args);
      const level = LEVELS[method];
      if (level !== null) log[level](sdkText(args));
    };
  }
  return () => Object.assign(target, originals);
}

/**
 * Sends the SDK's console output to the app's log (debug lines dropped) instead of stdout, since
 * the package has no logger hook; everything else printed to the console passes through untouched.
 * Backends overlap when switching accounts, so routes stack: lines go to the newest, and the console
 * is restored when the last one is undone. Returns the undo.
 */
export function routeSdkConsole(log: Logger, target: Target = console): () => void {
  let state = patched.get(target);
  if (state === undefined) {
    const routes: Logger[] = [];
    state = { routes, restore: patch(target, routes) };
    patched.set(target, state);
  }
  const { routes } = state;
  routes.push(log);
  return () => {
    const at = routes.lastIndexOf(log);
    if (at !== -1) routes.splice(at, 1);
    if (routes.length === 0 && patched.get(target) === state) {
      state.restore();
      patched.delete(target);
    }
  };
}

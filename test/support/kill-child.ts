/**
 * The child process of the kill -9 test (test/unit/durability-kill.test.ts). Run it with
 * `node --import tsx test/support/kill-child.ts <dataDir> <write|drain> <key>...`.
 *
 * It opens `createCore({ dataDir, simulate: true })` on the embedded service (demo data, traffic
 * simulator on, so the history is written all the time) and, in `write` mode, increases the given
 * keys of `live-friday` as fast as the core takes them, until it is killed. In `drain` mode it adds
 * nothing: it lets the core send what earlier runs left open, then closes cleanly.
 *
 * Protocol, one line per fact on stdout (on Linux a write to a pipe is synchronous, so a line is in
 * the pipe before the next statement runs, and survives a SIGKILL):
 *   R <notice code or ->           the core is up
 *   A <key> <delta>                about to call increaseCounter: printed BEFORE the call, so every
 *                                  intent the core can possibly have journalled was counted
 *   C <key> <delta>                the call's promise resolved (the change is confirmed)
 *   F <key> <delta> <code>         the call's promise rejected
 *   P <n>                          (drain) changes still pending when draining stopped
 *   V <key> <value>                (drain) the service's value after draining
 *   D                              (drain) closed cleanly
 * Diagnostics (the core's warnings and errors) go to stderr.
 */
import { createCore } from '../../electron/core/create-core';
import type { Logger } from '../../electron/core/logger';

export const KILL_GROUP = 'live-friday';

const [dataDir, mode, ...keys] = process.argv.slice(2);
if (dataDir === undefined || (mode !== 'write' && mode !== 'drain') || keys.length === 0) {
  process.stderr.write('usage: kill-child.ts <dataDir> <write|drain> <key>...\n');
  process.exit(2);
}

/** Intents waiting for their promise, per key, before the child stops adding more. */
const MAX_OUTSTANDING = 400;
/** Intents added per key per turn of the event loop. */
const PER_TURN = 50;
const DRAIN_TIMEOUT_MS = 60_000;

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
const log: Logger = {
  info: () => {},
  warn: (message) => process.stderr.write(`warn: ${message}\n`),
  error: (message) => process.stderr.write(`error: ${message}\n`),
};

const core = await createCore({ dataDir, simulate: true, log });
const session = await core.api.getSession();
out(`R ${session.notice?.code ?? '-'}`);

if (mode === 'write') {
  const outstanding = new Map(keys.map((key) => [key, 0]));
  const turn = (): void => {
    for (const key of keys) {
      const room = Math.min(PER_TURN, MAX_OUTSTANDING - outstanding.get(key)!);
      if (room <= 0) continue;
      const deltas = Array.from({ length: room }, () => 1 + Math.floor(Math.random() * 3));
      // All of this turn's intents are reported before the first of them is handed to the core.
      out(deltas.map((delta) => `A ${key} ${delta}`).join('\n'));
      for (const delta of deltas) {
        outstanding.set(key, outstanding.get(key)! + 1);
        core.api.increaseCounter({ groupID: KILL_GROUP, key, value: String(delta) }).then(
          () => {
            outstanding.set(key, outstanding.get(key)! - 1);
            out(`C ${key} ${delta}`);
          },
          (error: { code?: number }) => {
            outstanding.set(key, outstanding.get(key)! - 1);
            out(`F ${key} ${delta} ${error.code ?? '?'}`);
          },
        );
      }
    }
    setImmediate(turn);
  };
  turn();
} else {
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  let pending = await core.api.getPendingChanges();
  while (pending.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    pending = await core.api.getPendingChanges();
  }
  out(`P ${pending.length}`);
  const values = core.service.counters(KILL_GROUP);
  for (const key of keys) out(`V ${key} ${values.get(key) ?? 0n}`);
  await core.close();
  out('D');
  process.exit(0);
}

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Runs test/support/kill-child.ts in a child process and tallies what it reported (see the protocol
 * at the top of that file): optionally kills it with SIGKILL some time after it says it is ready.
 */

const CHILD = fileURLToPath(new URL('./kill-child.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../..', import.meta.url));

export interface ChildRun {
  /** Per key, the summed deltas (and the number) of the intents it was about to hand to the core. */
  accepted: Map<string, { sum: bigint; count: number }>;
  /** Per key, the summed deltas (and the number) of the intents whose promise resolved. */
  confirmed: Map<string, { sum: bigint; count: number }>;
  /** Rejected intents, by error code. */
  failed: Map<string, number>;
  /** The notice code the core started with, or '-'. */
  notice: string | null;
  /** Drain mode: the values the service held after draining, and the changes still pending. */
  values: Map<string, bigint>;
  pending: number | null;
  drained: boolean;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Milliseconds from spawning to the ready line. */
  readyAfterMs: number | null;
  stderr: string;
}

const add = (tally: Map<string, { sum: bigint; count: number }>, key: string, delta: string): void => {
  const held = tally.get(key) ?? { sum: 0n, count: 0 };
  tally.set(key, { sum: held.sum + BigInt(delta), count: held.count + 1 });
};

/**
 * Runs the child on `dataDir`. With `killAfterMs`, sends SIGKILL that long after the ready line; with
 * `killAfterSpawnMs`, that long after spawning it; otherwise waits for it to end (at most
 * `timeoutMs`, then kills it and says so).
 */
export function runChild(
  dataDir: string,
  mode: 'write' | 'drain',
  keys: readonly string[],
  options: { killAfterMs?: number; killAfterSpawnMs?: number; timeoutMs?: number } = {},
): Promise<ChildRun> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, mode, ...keys], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  const run: ChildRun = {
    accepted: new Map(),
    confirmed: new Map(),
    failed: new Map(),
    notice: null,
    values: new Map(),
    pending: null,
    drained: false,
    exitCode: null,
    signal: null,
    readyAfterMs: null,
    stderr: '',
  };
  let partial = '';
  // Killed that long after spawning, ready or not: during start-up, while the core resumes what an earlier run left.
  let killTimer: NodeJS.Timeout | null = options.killAfterSpawnMs === undefined ? null : setTimeout(() => child.kill('SIGKILL'), options.killAfterSpawnMs);
  const onLine = (line: string): void => {
    const [kind, ...fields] = line.split(' ');
    switch (kind) {
      case 'R':
        run.notice = fields[0] ?? null;
        run.readyAfterMs = Date.now() - started;
        if (options.killAfterMs !== undefined) killTimer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs);
        break;
      case 'A':
        add(run.accepted, fields[0]!, fields[1]!);
        break;
      case 'C':
        add(run.confirmed, fields[0]!, fields[1]!);
        break;
      case 'F':
        run.failed.set(fields[2]!, (run.failed.get(fields[2]!) ?? 0) + 1);
        break;
      case 'P':
        run.pending = Number(fields[0]);
        break;
      case 'V':
        run.values.set(fields[0]!, BigInt(fields[1]!));
        break;
      case 'D':
        run.drained = true;
        break;
      default:
        run.stderr += `unexpected line: ${line}\n`;
    }
  };
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    // A line cut short by the kill never ends: it is not counted (an A line cut short was never acted on).
    partial = lines.pop()!;
    for (const line of lines) if (line !== '') onLine(line);
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (run.stderr += chunk));
  const timeout = setTimeout(() => {
    run.stderr += `timed out after ${options.timeoutMs ?? 60_000} ms: killed\n`;
    child.kill('SIGKILL');
  }, options.timeoutMs ?? 60_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    // 'close' comes after the process ended and its output was read to the end.
    child.on('close', (code, signal) => {
      clearTimeout(timeout);
      if (killTimer !== null) clearTimeout(killTimer);
      run.exitCode = code;
      run.signal = signal;
      resolve(run);
    });
  });
}

import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { MessageChannel } from 'node:worker_threads';
import { openLocalService, type LocalService } from '../electron/core/chat/local';
import { createCore, type Core } from '../electron/core/create-core';
import { silentLogger } from '../electron/core/logger';
import { DATABASE_FILE_NAME } from '../electron/core/store/database';
import type { CounterBatch, CounterUpdate } from '../shared/types';
import { tempFolder } from './history/common';
import { figure, median, ratio, toMarkdown, type Section } from './report';

/** Runs per case, interleaved: on this VM one run's figure wanders by a factor of up to two. */
const RUNS = 5;
const EVENTS = 100_000;
/** Events written between yields to the event loop, as a busy service would deliver them. */
const CHUNK = 2_000;

interface World {
  service: LocalService;
  core: Core;
  series: { groupID: string; key: string }[];
  close(): Promise<void>;
}

/**
 * An embedded service with `count` series (20 keys per group at most), and a core signed in to all:
 * its database in memory, or, given `dataDir`, in a file there (the history written to disk, each
 * batch one committed transaction, as in the app; the service's own state stays in memory).
 */
async function world(count: number, dataDir?: string): Promise<World> {
  const service = await openLocalService({ seed: 'empty', log: () => {} });
  const series: World['series'] = [];
  for (let group = 0; series.length < count; group += 1) {
    const groupID = `bench-${group}`;
    service.createGroup({ groupID, name: `Bench ${group}`, type: 'AVChatRoom', members: ['bench'] });
    for (let key = 0; key < 20 && series.length < count; key += 1) series.push({ groupID, key: `k${key}` });
  }
  const core = await createCore({ service, userID: 'bench', ...(dataDir !== undefined && { dataDir, log: silentLogger }) });
  return { service, core, series, close: async () => (await core.close(), await service.close()) };
}

/**
 * Writes EVENTS changes round-robin over the series and waits until the receiving end has them all;
 * returns events per second. `listen` wires the receiving end and calls `received` with counts.
 */
async function throughput(count: number, listen: (core: Core, received: (n: number) => void) => () => void, dataDir?: string): Promise<number> {
  const { service, core, series, close } = await world(count, dataDir);
  let seen = 0;
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const stop = listen(core, (n) => {
    seen += n;
    if (seen >= EVENTS) done();
  });
  const started = performance.now();
  for (let i = 0; i < EVENTS; i += 1) {
    const { groupID, key } = series[i % series.length]!;
    service.systemWrite(groupID, key, 1n);
    if (i % CHUNK === CHUNK - 1) await new Promise((resolve) => setImmediate(resolve));
  }
  await finished;
  const seconds = (performance.now() - started) / 1000;
  stop();
  await close();
  return EVENTS / seconds;
}

/**
 * Countdeck's path: session → batcher → one message per batch, cloned across a MessagePort the way
 * IPC serialises it. The naive path: one message per event, through the same port.
 */
function batched(core: Core, received: (n: number) => void): () => void {
  const { port1, port2 } = new MessageChannel();
  port2.on('message', (batch: CounterBatch) => received(batch.updates.length));
  const stop = core.api.onCounterBatch((batch) => port1.postMessage(batch));
  return () => (stop(), port1.close());
}

function perEvent(core: Core, received: (n: number) => void): () => void {
  const { port1, port2 } = new MessageChannel();
  port2.on('message', () => received(1));
  const stop = core.connection.session.onCounterUpdate((update: CounterUpdate) => port1.postMessage(update));
  return () => (stop(), port1.close());
}

/**
 * The batched path with the core's database in a file of a fresh folder: the history of every batch
 * is written to disk on the way. Returns events per second and the updates the history's finest
 * buckets are short of what was written (read from the file after the core closed).
 */
async function withHistoryOnDisk(count: number): Promise<{ eventsPerSecond: number; lost: number }> {
  const folder = tempFolder('pipeline');
  try {
    const eventsPerSecond = await throughput(count, batched, folder.dir);
    const db = new DatabaseSync(join(folder.dir, DATABASE_FILE_NAME), { readOnly: true });
    try {
      const stored = db.prepare('SELECT total(count) AS updates FROM bucket WHERE tier = 0').get() as { updates: number };
      return { eventsPerSecond, lost: EVENTS - stored.updates };
    } finally {
      db.close();
    }
  } finally {
    folder.remove();
  }
}

/** Events per second from the embedded service to a subscriber, batched and naive, at 1, 20 and 400 series; batched also with the history on disk. */
export async function benchPipeline(): Promise<Section[]> {
  const rows: (string | number)[][] = [];
  for (const count of [1, 20, 400]) {
    const fast: number[] = [];
    const slow: number[] = [];
    const onDisk: number[] = [];
    let lost = 0;
    for (let run = 0; run < RUNS; run += 1) {
      fast.push(await throughput(count, batched));
      slow.push(await throughput(count, perEvent));
      const disk = await withHistoryOnDisk(count);
      onDisk.push(disk.eventsPerSecond);
      lost += disk.lost;
    }
    rows.push([count, figure(median(fast)), figure(median(slow)), ratio(median(slow), median(fast)), figure(median(onDisk)), `${figure((100 * median(onDisk)) / median(fast))}%`, figure(lost)]);
  }
  return [
    {
      title: 'Core pipeline: events per second to a subscriber',
      about: `${figure(EVENTS)} counter changes written to the embedded service, through the session and the batching to a subscriber across a MessagePort (standing in for IPC); medians of ${RUNS} runs. Naive: one message per event. The first three figures use an in-memory database (the history is recorded there too); *history on disk*: the same batched path with the core's database in a file (\`createCore({ service, userID, dataDir })\`), every batch's history one committed transaction (WAL, synchronous FULL) before the batch goes on; *lost*: changes written that its finest buckets do not count, over all runs.`,
      columns: ['series', 'batched (events/s)', 'one message per event (events/s)', 'ratio', 'batched, history on disk (events/s)', 'of in-memory', 'lost'],
      rows,
    },
  ];
}

if (import.meta.main) {
  for (const section of await benchPipeline()) console.log(`\n${toMarkdown(section)}`);
  process.exit(0);
}

import { MessageChannel } from 'node:worker_threads';
import { openLocalService, type LocalService } from '../electron/core/chat/local';
import { createCore, type Core } from '../electron/core/create-core';
import type { CounterBatch, CounterUpdate } from '../shared/types';
import { figure, median, ratio, type Section } from './report';

const RUNS = 3;
const EVENTS = 100_000;
/** Events written between yields to the event loop, as a busy service would deliver them. */
const CHUNK = 2_000;

interface World {
  service: LocalService;
  core: Core;
  series: { groupID: string; key: string }[];
  close(): Promise<void>;
}

/** An embedded service with `count` series (20 keys per group at most), and a core signed in to all. */
async function world(count: number): Promise<World> {
  const service = await openLocalService({ seed: 'empty', log: () => {} });
  const series: World['series'] = [];
  for (let group = 0; series.length < count; group += 1) {
    const groupID = `bench-${group}`;
    service.createGroup({ groupID, name: `Bench ${group}`, type: 'AVChatRoom', members: ['bench'] });
    for (let key = 0; key < 20 && series.length < count; key += 1) series.push({ groupID, key: `k${key}` });
  }
  const core = await createCore({ service, userID: 'bench' });
  return { service, core, series, close: async () => (await core.close(), await service.close()) };
}

/**
 * Writes EVENTS changes round-robin over the series and waits until the receiving end has them all;
 * returns events per second. `listen` wires the receiving end and calls `received` with counts.
 */
async function throughput(count: number, listen: (core: Core, received: (n: number) => void) => () => void): Promise<number> {
  const { service, core, series, close } = await world(count);
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

/** Events per second from the embedded service to a subscriber, batched and naive, at 1, 20 and 400 series. */
export async function benchPipeline(): Promise<Section[]> {
  const rows: (string | number)[][] = [];
  for (const count of [1, 20, 400]) {
    const fast: number[] = [];
    const slow: number[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      fast.push(await throughput(count, batched));
      slow.push(await throughput(count, perEvent));
    }
    rows.push([count, figure(median(fast)), figure(median(slow)), ratio(median(slow), median(fast))]);
  }
  return [
    {
      title: 'Core pipeline: events per second to a subscriber',
      about: `${figure(EVENTS)} counter changes written to the embedded service, through the session and the batching to a subscriber across a MessagePort (standing in for IPC); medians of ${RUNS} runs. Naive: one message per event.`,
      columns: ['series', 'batched (events/s)', 'one message per event (events/s)', 'ratio'],
      rows,
    },
  ];
}

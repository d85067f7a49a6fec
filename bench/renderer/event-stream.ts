import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A local Server-Sent Events stream: what the bench sends reaches the page as one task per message. */
export interface EventStream {
  readonly url: string;
  send(data: string): void;
  close(): Promise<void>;
}

/**
 * Serves `GET /events` on 127.0.0.1. Like Electron's IPC (and unlike a CDP call, which waits for
 * its reply before the next can go), it pushes each message as soon as it is sent, and the page
 * takes each as a task of its own.
 */
export async function startEventStream(): Promise<EventStream> {
  const clients = new Set<ServerResponse>();
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url !== '/events') {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', 'Access-Control-Allow-Origin': '*' });
    response.flushHeaders();
    response.socket?.setNoDelay(true);
    clients.add(response);
    request.on('close', () => clients.delete(response));
  });
  await new Promise<void>((done, failed) => {
    server.once('error', failed);
    server.listen(0, '127.0.0.1', () => done());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/events`,
    send(data) {
      for (const client of clients) client.write(`data: ${data}\n\n`);
    },
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

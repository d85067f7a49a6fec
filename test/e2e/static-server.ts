import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, resolve, sep } from 'node:path';

/** Content types of the files a built renderer holds; anything else is served as bytes. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

/** A running static server: its origin (`http://127.0.0.1:PORT`) and how to stop it. */
export interface StaticServer {
  readonly origin: string;
  readonly root: string;
  close(): Promise<void>;
}

/** The content type of a file name, by extension. */
export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** The file a request path names inside `root`, or null when it is malformed or points outside. */
export function resolveInside(root: string, requestPath: string): string | null {
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(requestPath, 'http://localhost').pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  const file = resolve(root, `.${pathname === '/' ? '/index.html' : pathname}`);
  return file.startsWith(root + sep) ? file : null;
}

function reply(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  response.end(text);
}

async function serve(root: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('Allow', 'GET, HEAD');
    return reply(response, 405, 'Method not allowed');
  }
  const file = resolveInside(root, request.url ?? '/');
  if (file === null) return reply(response, 404, 'Not found');
  let real: string;
  try {
    // A symbolic link must not lead out of the folder either.
    real = await realpath(file);
    if (!real.startsWith(root + sep) || !(await stat(real)).isFile()) return reply(response, 404, 'Not found');
  } catch {
    return reply(response, 404, 'Not found');
  }
  response.writeHead(200, {
    'Content-Type': contentTypeOf(real),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  if (request.method === 'HEAD') return void response.end();
  const stream = createReadStream(real);
  stream.on('error', () => response.destroy());
  stream.pipe(response);
}

/** Serves the files of `folder` over http on 127.0.0.1 at an ephemeral port (GET and HEAD only). */
export async function startStaticServer(folder: string): Promise<StaticServer> {
  const root = await realpath(resolve(folder));
  const server = createServer((request, response) => {
    serve(root, request, response).catch(() => {
      if (!response.headersSent) reply(response, 500, 'Internal error');
      else response.destroy();
    });
  });
  await new Promise<void>((done, failed) => {
    server.once('error', failed);
    server.listen(0, '127.0.0.1', () => done());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    root,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

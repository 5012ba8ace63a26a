import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerOptions,
  STATUS_CODES,
} from 'node:http';
import type { Duplex } from 'node:stream';
import { serve } from '@hono/node-server';
import { problemBody } from './problem.js';
import type { ProblemCode } from './problem-types.js';

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Serves a fetch handler on @hono/node-server. Rejects with a clear message when the port is
 * taken (naming the variable to change) instead of hanging.
 */
export function serveApp(
  app: { fetch: (request: Request) => Response | Promise<Response> },
  options: { port: number; hostname?: string; portVariable: string },
): Promise<RunningServer> {
  const hostname = options.hostname ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    const server = serve(
      {
        fetch: app.fetch,
        port: options.port,
        hostname,
        createServer: withRequestCheck as typeof createServer,
      },
      (info) => {
        server.off('error', onError);
        resolve({
          url: `http://${hostname === '0.0.0.0' ? '127.0.0.1' : hostname}:${info.port}`,
          port: info.port,
          close: () =>
            new Promise<void>((done) => {
              (server as Server).closeAllConnections?.();
              server.close(() => done());
            }),
        });
      },
    );
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `port ${options.port} is already in use: stop what holds it, or set ${options.portVariable} to another port`
            : `cannot listen on ${hostname}:${options.port}`,
          { cause: error },
        ),
      );
    };
    server.once('error', onError);
    server.on('clientError', answerClientError);
  });
}

/**
 * Requests Node parses but no route can take: no Host header (Node would answer a bare 400
 * itself) or a target that is not a path (`OPTIONS *`, which @hono/node-server answers with a
 * bare 400). Both get the parser's problem instead, before the app.
 */
function withRequestCheck(serverOptions: ServerOptions, listener: RequestListener): Server {
  return createServer({ ...serverOptions, requireHostHeader: false }, (req, res) => {
    if (isRoutable(req)) return listener(req, res);
    const problem = problemBody('malformed-request');
    const body = JSON.stringify(problem);
    res.writeHead(problem.status, {
      'Content-Type': 'application/problem+json',
      'Content-Length': Buffer.byteLength(body),
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      Connection: 'close',
    });
    res.end(body);
  });
}

const isRoutable = (req: IncomingMessage): boolean =>
  Boolean(req.headers.host) && req.url?.startsWith('/') === true;

/**
 * Node's parser refused the request before the app saw it (bad request line, duplicate
 * Content-Length, headers over 16 KB, a request too slow to arrive). Node would answer a bare
 * 400/431; this answers the same status as a problem, then closes: the rest of the stream
 * cannot be trusted to be at a request boundary.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  // A reset connection has nobody to answer; a response already started cannot get another.
  const started = (socket as Duplex & { _httpMessage?: unknown })._httpMessage;
  if (error.code === 'ECONNRESET' || !socket.writable || started) {
    socket.destroy();
    return;
  }
  const code: ProblemCode =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? 'headers-too-large'
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? 'request-timeout'
        : 'malformed-request';
  const problem = problemBody(code);
  const body = JSON.stringify(problem);
  socket.end(
    `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status] ?? ''}\r\n` +
      'Content-Type: application/problem+json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Cache-Control: no-store\r\n' +
      'X-Content-Type-Options: nosniff\r\n' +
      'Connection: close\r\n\r\n' +
      body,
  );
}

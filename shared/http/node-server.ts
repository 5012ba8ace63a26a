import type { Server } from 'node:http';
import { serve } from '@hono/node-server';

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
    const server = serve({ fetch: app.fetch, port: options.port, hostname }, (info) => {
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
    });
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
  });
}

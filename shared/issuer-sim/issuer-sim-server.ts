import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import type { Clock } from '../ports/clock.js';
import { createIssuerSimApp } from './issuer-sim-app.js';

/** Options for {@link startIssuerSim}. */
export interface StartIssuerSimOptions {
  /** 0 picks a free port; read the chosen one from the result. */
  readonly port: number;
  /** Interface to bind. Default 127.0.0.1: the simulator is for this machine only. */
  readonly hostname?: string;
  readonly clock?: Clock;
}

/** A running simulator. */
export interface IssuerSimServer {
  /** Base URL to use as a brand's `issuerUrl`, without a trailing slash. */
  readonly url: string;
  readonly port: number;
  /** Stops listening and drops open keep-alive connections, so tests end promptly. */
  close(): Promise<void>;
}

/**
 * Starts the simulated issuer on `@hono/node-server`. Resolves once it listens; rejects with a
 * clear error when the port is taken instead of hanging.
 */
export function startIssuerSim(options: StartIssuerSimOptions): Promise<IssuerSimServer> {
  const hostname = options.hostname ?? '127.0.0.1';
  const app = createIssuerSimApp(options.clock === undefined ? {} : { clock: options.clock });
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const message =
        error.code === 'EADDRINUSE'
          ? `issuer simulator: port ${options.port} on ${hostname} is already in use`
          : `issuer simulator: cannot listen on ${hostname}:${options.port}`;
      reject(new Error(message, { cause: error }));
    };
    // serve() returns a node:http Server: no createServer or TLS options are passed.
    const server = serve({ fetch: app.fetch, port: options.port, hostname }, (info) => {
      server.off('error', onError);
      resolve({ url: baseUrl(hostname, info.port), port: info.port, close: () => closeServer(server) });
    }) as Server;
    // listen() reports failures asynchronously, so this is attached in time.
    server.once('error', onError);
  });
}

function baseUrl(hostname: string, port: number): string {
  // A wildcard bind is reachable on loopback; IPv6 literals need brackets in a URL.
  const host = hostname === '0.0.0.0' ? '127.0.0.1' : hostname === '::' ? '::1' : hostname;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}

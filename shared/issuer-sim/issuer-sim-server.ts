import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import type { IssuerAnswerKey } from '../domain/issuer-answer.js';
import type { Clock } from '../ports/clock.js';
import { createIssuerSimApp, type IssuerSimOptions } from './issuer-sim-app.js';
import { SimSigner } from './sim-signer.js';

/** Options for {@link startIssuerSim}. */
export interface StartIssuerSimOptions {
  /** 0 picks a free port; read the chosen one from the result. */
  readonly port: number;
  /** Interface to bind. Default 127.0.0.1: the simulator is for this machine only. */
  readonly hostname?: string;
  readonly clock?: Clock;
  /** Signs the answers; a fresh Ed25519 key when absent. */
  readonly signer?: SimSigner;
  /** Sandbox faults to play (docs/issuer-protocol.md "Sandbox"), for the conformance kit's own tests. */
  readonly broken?: IssuerSimOptions['broken'];
}

/** A running simulator. */
export interface IssuerSimServer {
  /** Base URL to use as a brand's `issuerUrl`, without a trailing slash. */
  readonly url: string;
  readonly port: number;
  /** The public key that verifies its answers: register it as the brand's answer key. */
  readonly answerKey: IssuerAnswerKey;
  /** Stops listening and drops open keep-alive connections, so tests end promptly. */
  close(): Promise<void>;
}

/**
 * Starts the simulated issuer on `@hono/node-server`. Resolves once it listens; rejects with a
 * clear error when the port is taken instead of hanging.
 */
export function startIssuerSim(options: StartIssuerSimOptions): Promise<IssuerSimServer> {
  const hostname = options.hostname ?? '127.0.0.1';
  const signer = options.signer ?? new SimSigner();
  const app = createIssuerSimApp({
    signer,
    ...(options.clock !== undefined && { clock: options.clock }),
    ...(options.broken !== undefined && { broken: options.broken }),
  });
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
      resolve({
        url: baseUrl(hostname, info.port),
        port: info.port,
        answerKey: signer.publicKey,
        close: () => closeServer(server),
      });
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

import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { TransportAttempt, WebhookTransport } from '../../ports/webhook-transport.js';
import {
  checkEndpointUrl,
  deliveryAddress,
  type EndpointMode,
  type Resolve,
  resolveWithDns,
} from '../../webhooks/endpoint-address.js';
import { SIGNATURE_HEADER } from '../../webhooks/verify-webhook.js';

/** What one attempt gave (the port's type, under the name the sender's callers know). */
export type DeliveryAttempt = TransportAttempt;

/** Of an answer's body, at most this much is read; then the connection is closed. */
export const MAX_ANSWER_BYTES = 4096;

export interface WebhookSenderOptions {
  readonly mode: EndpointMode;
  /** The whole attempt's deadline: name resolution, connection, headers and body. */
  readonly timeoutMs: number;
  readonly resolve?: Resolve;
}

const TIMED_OUT = 'timed out';

/**
 * One POST of a signed event. The address is checked and pinned for this connection (DNS
 * rebinding: the socket goes to the address that passed the check, TLS still verifies the host
 * name); redirects are not followed (a 3xx is a failure). The attempt ends `timeoutMs` after it
 * began whatever the receiver does: a receiver that answers and then trickles its body, or never
 * closes it, is cut there and the attempt is `timed out`. At most `MAX_ANSWER_BYTES` of the
 * answer are read (and none kept): a huge body closes the connection, it is not drained.
 */
export class WebhookSender implements WebhookTransport {
  constructor(private readonly options: WebhookSenderOptions) {}

  async send(url: string, body: string, signature: string): Promise<DeliveryAttempt> {
    const started = performance.now();
    const latency = () => Math.round(performance.now() - started);
    // A timer of our own rather than AbortSignal.timeout: its timer is unreferenced and is not
    // held by a pending name resolution.
    const expiry = new AbortController();
    const deadline = expiry.signal;
    const timer = setTimeout(() => expiry.abort(), this.options.timeoutMs);
    let address: string;
    let target: URL;
    try {
      target = checkEndpointUrl(url, this.options.mode);
      address = await beforeDeadline(
        deliveryAddress(target, this.options.mode, this.options.resolve ?? resolveWithDns),
        deadline,
      );
    } catch (error) {
      clearTimeout(timer);
      return { outcome: 'failed', latencyMs: latency(), error: (error as Error).message };
    }
    const pinned: LookupFunction = (_host, opts, callback) => {
      const family = address.includes(':') ? 6 : 4;
      if ((opts as { all?: boolean }).all) callback(null, [{ address, family }]);
      else callback(null, address, family);
    };
    const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve) => {
      let status: number | undefined;
      let settled = false;
      const settle = (attempt: Omit<DeliveryAttempt, 'latencyMs'>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        deadline.removeEventListener('abort', onDeadline);
        // Whatever is left of the exchange is not ours to wait for: the socket goes now.
        req.destroy();
        resolve({ ...attempt, latencyMs: latency(), ...(status !== undefined ? { status } : {}) });
      };
      const onDeadline = () => settle({ outcome: 'failed', error: TIMED_OUT });
      const answered = (res: IncomingMessage) => {
        const code = res.statusCode ?? 0;
        status = code;
        const verdict = (): Omit<DeliveryAttempt, 'latencyMs'> => {
          if (code >= 200 && code < 300) return { outcome: 'delivered' };
          return {
            outcome: 'failed',
            error: code >= 300 && code < 400 ? 'redirect not followed' : `status ${code}`,
          };
        };
        let read = 0;
        res.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read >= MAX_ANSWER_BYTES) settle(verdict()); // enough of it: the rest is never read
        });
        res.on('end', () => settle(verdict()));
        res.on('error', (error) => settle({ outcome: 'failed', error: error.message }));
        res.on('close', () => {
          if (!res.complete) settle({ outcome: 'failed', error: 'answer cut short' });
        });
      };
      const req = request(
        target,
        {
          method: 'POST',
          lookup: pinned,
          // Its own connection, closed after the answer: a socket is never reused past its deadline.
          agent: false,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'user-agent': 'card-vault-webhooks/1',
            [SIGNATURE_HEADER]: signature,
          },
        },
        answered,
      );
      req.on('error', (error) => settle({ outcome: 'failed', error: error.message }));
      if (deadline.aborted) onDeadline();
      else deadline.addEventListener('abort', onDeadline, { once: true });
      req.end(body);
    });
  }
}

/** `work`'s answer, or a `timed out` error once `deadline` fires (name resolution cannot be cancelled). */
function beforeDeadline<T>(work: Promise<T>, deadline: AbortSignal): Promise<T> {
  if (deadline.aborted) return Promise.reject(new Error(TIMED_OUT));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error(TIMED_OUT));
    deadline.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => deadline.removeEventListener('abort', onAbort));
  });
}

import { request as httpRequest } from 'node:http';
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

export interface WebhookSenderOptions {
  readonly mode: EndpointMode;
  readonly timeoutMs: number;
  readonly resolve?: Resolve;
}

/**
 * One POST of a signed event. The address is checked and pinned for this connection (DNS
 * rebinding: the socket goes to the address that passed the check, TLS still verifies the host
 * name); redirects are not followed (a 3xx is a failure); the whole attempt has a deadline.
 */
export class WebhookSender implements WebhookTransport {
  constructor(private readonly options: WebhookSenderOptions) {}

  async send(url: string, body: string, signature: string): Promise<DeliveryAttempt> {
    const started = performance.now();
    const latency = () => Math.round(performance.now() - started);
    let address: string;
    let target: URL;
    try {
      target = checkEndpointUrl(url, this.options.mode);
      address = await deliveryAddress(target, this.options.mode, this.options.resolve ?? resolveWithDns);
    } catch (error) {
      return { outcome: 'failed', latencyMs: latency(), error: (error as Error).message };
    }
    const pinned: LookupFunction = (_host, opts, callback) => {
      const family = address.includes(':') ? 6 : 4;
      if ((opts as { all?: boolean }).all) callback(null, [{ address, family }]);
      else callback(null, address, family);
    };
    const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve) => {
      const req = request(
        target,
        {
          method: 'POST',
          lookup: pinned,
          timeout: this.options.timeoutMs,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'user-agent': 'card-vault-webhooks/1',
            [SIGNATURE_HEADER]: signature,
          },
        },
        (res) => {
          res.resume(); // the answer's body is not kept: it is the receiver's, not ours
          const status = res.statusCode ?? 0;
          const ok = status >= 200 && status < 300;
          res.on('end', () =>
            resolve({
              outcome: ok ? 'delivered' : 'failed',
              status,
              latencyMs: latency(),
              ...(ok
                ? {}
                : { error: status >= 300 && status < 400 ? 'redirect not followed' : `status ${status}` }),
            }),
          );
        },
      );
      req.setTimeout(this.options.timeoutMs, () => req.destroy(new Error('timed out')));
      req.on('error', (error) => resolve({ outcome: 'failed', latencyMs: latency(), error: error.message }));
      req.end(body);
    });
  }
}

import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import type { BuyerContext } from '../domain/buyer-context.js';

/** What Hono's Lambda adapter puts in `c.env`: API Gateway's request context (HTTP API, or REST). */
interface LambdaBindings {
  readonly requestContext?: {
    readonly http?: { readonly sourceIp?: string; readonly userAgent?: string };
    readonly identity?: { readonly sourceIp?: string; readonly userAgent?: string };
  };
}

const MAX_USER_AGENT = 512;

/**
 * Who is on the other end of this request, as the platform saw it. In AWS, API Gateway's request
 * context (the TCP peer it answered; never X-Forwarded-For, which anyone can write, and which
 * Hono's own Lambda `getConnInfo` falls back to); locally, the socket (@hono/node-server).
 * Undefined when neither is there (`app.request` in tests).
 */
export function requestOrigin(c: Context): BuyerContext | undefined {
  const env = c.env as (LambdaBindings & { incoming?: unknown; server?: unknown }) | undefined;
  const gateway = env?.requestContext?.http ?? env?.requestContext?.identity;
  if (gateway !== undefined) return bounded(gateway.sourceIp, gateway.userAgent);
  if (env?.incoming !== undefined || env?.server !== undefined) {
    return bounded(getConnInfo(c).remote.address, c.req.header('user-agent'));
  }
  return undefined;
}

function bounded(ip: string | undefined, userAgent: string | undefined): BuyerContext | undefined {
  const agent = userAgent?.slice(0, MAX_USER_AGENT);
  if (!ip && !agent) return undefined;
  return { ...(ip ? { ip } : {}), ...(agent ? { userAgent: agent } : {}) };
}

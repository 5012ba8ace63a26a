import type { EndpointMode } from '../../domain/webhook-endpoint.js';
import type { EndpointUrlPolicy } from '../../ports/endpoint-url-policy.js';
import { checkEndpointUrl, EndpointAddressError } from '../../webhooks/endpoint-address.js';

/** The registration check of `endpoint-address.ts` in `mode`: the same rules the sender applies. */
export function endpointUrlPolicy(mode: EndpointMode): EndpointUrlPolicy {
  return {
    check(raw) {
      try {
        return { url: checkEndpointUrl(raw, mode).href };
      } catch (error) {
        if (error instanceof EndpointAddressError) return { refused: error.message };
        throw error;
      }
    },
  };
}

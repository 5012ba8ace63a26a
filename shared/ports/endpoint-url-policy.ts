/**
 * Whether a webhook URL may be registered: its scheme and, for a literal IP, its address. No DNS
 * lookup: a name is resolved and checked at every delivery instead (DNS rebinding), by the sender.
 */
export interface EndpointUrlPolicy {
  /** The URL as it will be stored (normalised), or the reason it is refused. */
  check(url: string): { readonly url: string } | { readonly refused: string };
}

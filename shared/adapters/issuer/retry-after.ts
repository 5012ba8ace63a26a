/**
 * The wait an HTTP `Retry-After` asks for, in milliseconds (RFC 9110 §10.2.3: delay-seconds or
 * an HTTP-date), or undefined when absent or unreadable. A date in the past asks for no wait.
 */
export function retryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // Only the HTTP-date form: Date.parse would also take "5" or "tomorrow" in some engines.
  if (!/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(value)) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

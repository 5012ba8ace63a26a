import { connect } from 'node:net';

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * Writes `chunks` to a fresh TCP connection (a pause between them) and reads HTTP/1.1
 * responses until `expected` are complete or the server closes; `closed` says whether it did.
 */
export async function rawExchange(
  url: string,
  chunks: readonly (string | Buffer)[],
  expected: number,
  timeoutMs = 5_000,
): Promise<{ responses: RawResponse[]; closed: boolean }> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  let buffer = Buffer.alloc(0);
  let closed = false;
  const done = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      resolve();
    };
    socket.on('data', (data) => {
      buffer = Buffer.concat([buffer, data]);
      if (parse(buffer).length >= expected) finish();
    });
    socket.on('close', () => {
      closed = true;
      finish();
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  for (const chunk of chunks) {
    if (socket.destroyed) break;
    socket.write(chunk);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await done;
  // A close that follows the last answer at once is part of the answer.
  await new Promise((resolve) => setTimeout(resolve, 50));
  socket.destroy();
  return { responses: parse(buffer), closed };
}

function parse(buffer: Buffer): RawResponse[] {
  const responses: RawResponse[] = [];
  let rest = buffer;
  for (;;) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) return responses;
    const [statusLine = '', ...lines] = rest.subarray(0, end).toString('latin1').split('\r\n');
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const length = Number(headers['content-length'] ?? 0);
    if (rest.length < end + 4 + length) return responses;
    const body = rest.subarray(end + 4, end + 4 + length).toString('utf8');
    responses.push({ status: Number(statusLine.split(' ')[1]), headers, body });
    rest = rest.subarray(end + 4 + length);
  }
}

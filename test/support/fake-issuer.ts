import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An issuer that answers every check with a fixed status and body: a protocol violation on demand. */
export async function aFixedIssuer(status: number, body: string, headers: Record<string, string> = {}) {
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(body));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

/** A loopback URL where nothing listens (the port was free a moment ago). */
export async function aDeadIssuerUrl(): Promise<string> {
  const { url, close } = await aFixedIssuer(200, '{}');
  await close();
  return url;
}

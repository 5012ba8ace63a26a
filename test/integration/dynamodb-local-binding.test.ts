import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoClients } from '../../shared/adapters/dynamodb/dynamodb-clients.js';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../shared/local/dynamodb-local.js';
import { DYNAMODB_LOCAL_READY_MS } from '../support/dynamo.js';

/** This machine's own addresses other than loopback (link-local ones with their zone). */
const otherLocalAddresses = Object.entries(networkInterfaces()).flatMap(([name, addresses]) =>
  (addresses ?? [])
    .filter((a) => !a.internal)
    .map((a) => (a.family === 'IPv6' && a.scopeid ? `${a.address}%${name}` : a.address)),
);

/** How a TCP connection to host:port ends: 'connected' or the error code. */
function tryConnect(host: string, port: number): Promise<string> {
  return new Promise((done) => {
    const socket = connect({ host, port, timeout: 2_000 });
    socket.once('connect', () => {
      socket.destroy();
      done('connected');
    });
    socket.once('timeout', () => {
      socket.destroy();
      done('timeout');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
  });
}

/** The local addresses of the sockets listening on `port`, read from the kernel (Linux). */
async function listeningAddresses(port: number): Promise<string[]> {
  const rows = await Promise.all(
    ['/proc/net/tcp', '/proc/net/tcp6'].map((file) => readFile(file, 'utf8').catch(() => '')),
  );
  const portHex = port.toString(16).toUpperCase().padStart(4, '0');
  return rows
    .flatMap((text) => text.split('\n').slice(1))
    .map((line) => line.trim().split(/\s+/))
    .filter(([, local, , state]) => state === '0A' && local?.endsWith(`:${portHex}`))
    .map(([, local]) => decodeAddress(local?.split(':')[0] ?? ''));
}

/** /proc/net/tcp* print each 32-bit word of the address in host (little-endian) byte order. */
function decodeAddress(hex: string): string {
  const bytes = (hex.match(/.{8}/g) ?? []).flatMap((word) =>
    (word.match(/../g) ?? []).reverse().map((b) => Number.parseInt(b, 16)),
  );
  const ipv4 = (b: number[]) => b.join('.');
  if (bytes.length === 4) return ipv4(bytes);
  const mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  if (mapped) return ipv4(bytes.slice(12)); // an IPv4 address on a dual-stack socket
  return Buffer.from(bytes).toString('hex');
}

describe('DynamoDB Local as startDynamoDbLocal runs it', () => {
  let dynamo: DynamoDbLocal;
  beforeAll(async () => {
    dynamo = await startDynamoDbLocal({ port: 0, inMemory: true, readyTimeoutMs: DYNAMODB_LOCAL_READY_MS });
  }, DYNAMODB_LOCAL_READY_MS);
  afterAll(() => dynamo?.stop());

  it('answers on 127.0.0.1', async () => {
    const { client } = createDynamoClients({ endpoint: `http://127.0.0.1:${dynamo.port}` });
    try {
      expect((await client.send(new ListTablesCommand({}))).TableNames).toEqual([]);
    } finally {
      client.destroy();
    }
  });

  it.runIf(process.platform === 'linux')(
    'listens on 127.0.0.1 only, by the kernel socket table',
    async () => {
      expect(await listeningAddresses(dynamo.port)).toEqual(['127.0.0.1']);
    },
  );

  // No other address (a machine with only loopback): the socket table test above still holds.
  it.runIf(otherLocalAddresses.length > 0)(
    `refuses connections on this machine's other addresses (${otherLocalAddresses.join(', ')})`,
    async () => {
      for (const address of otherLocalAddresses) {
        expect({ address, outcome: await tryConnect(address, dynamo.port) }).toEqual({
          address,
          outcome: 'ECONNREFUSED',
        });
      }
    },
  );
});

import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { deleteTable, ensureTable } from '../../shared/adapters/dynamodb/create-table.js';
import { createDynamoClients } from '../../shared/adapters/dynamodb/dynamodb-clients.js';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../shared/local/dynamodb-local.js';
import { DYNAMODB_LOCAL_READY_MS as READY_MS, useTestTable } from '../support/dynamo.js';
import { isAlive } from '../support/processes.js';

describe('ensureTable', () => {
  const { client, tableName } = useTestTable({ stream: true });

  it('creates an on-demand table with both GSIs projecting ALL, a full-image stream and TTL on ttl', async () => {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    const indexes = Table?.GlobalSecondaryIndexes?.map((i) => [i.IndexName, i.Projection?.ProjectionType]);
    expect(indexes?.sort()).toEqual([
      ['gsi1', 'ALL'],
      ['gsi2', 'ALL'],
    ]);
    const { TimeToLiveDescription } = await client.send(
      new DescribeTimeToLiveCommand({ TableName: tableName }),
    );
    expect(TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'ttl' });
  });

  it('is idempotent, on an existing table and when racing on a new one', async () => {
    await ensureTable(client, tableName);
    const fresh = `${tableName}-race`;
    await Promise.all([ensureTable(client, fresh), ensureTable(client, fresh)]);
    await deleteTable(client, fresh);
    await deleteTable(client, fresh); // already gone: still fine
  });

  it('makes a table without a stream when told to, and gives it one when later asked', async () => {
    const plain = `${tableName}-plain`;
    const stream = async () =>
      (await client.send(new DescribeTableCommand({ TableName: plain }))).Table?.StreamSpecification;
    try {
      await ensureTable(client, plain, { stream: false });
      expect(await stream()).toBeUndefined();
      // `npm start` on a data directory a stack without webhooks created: the fan-out needs it.
      await ensureTable(client, plain);
      expect(await stream()).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    } finally {
      await deleteTable(client, plain);
    }
  });
});

describe('startDynamoDbLocal', () => {
  it('refuses before starting Java, naming the port and DYNAMODB_PORT, when the port is taken', async () => {
    const server: Server = await new Promise((done) => {
      const s = createServer().listen(0, '127.0.0.1', () => done(s));
    });
    const { port } = server.address() as { port: number };
    try {
      // The message is the port check's own: a JVM that had started would fail with Java's.
      await expect(startDynamoDbLocal({ port, inMemory: true })).rejects.toThrow(
        new RegExp(`Port ${port} is already in use.*DYNAMODB_PORT`),
      );
    } finally {
      server.close();
    }
  });

  it.runIf(process.platform === 'linux')('names the DynamoDB Local pid already on the port', async () => {
    const port = Number(new URL(inject('dynamoEndpoint')).port);
    await expect(startDynamoDbLocal({ port, inMemory: true })).rejects.toThrow(/by DynamoDB Local pid \d+/);
  });

  it('stop() leaves no java process behind', async () => {
    const dynamo = await startDynamoDbLocal({ port: 0, inMemory: true, readyTimeoutMs: READY_MS });
    expect(isAlive(dynamo.pid)).toBe(true);
    await dynamo.stop();
    expect(isAlive(dynamo.pid)).toBe(false);
    await dynamo.stop(); // idempotent
    // A JVM start takes seconds on a loaded machine: the default per-test budget is too tight.
  }, 150_000);

  it('keeps data in dataDir across stop/start and a kill -9, and refuses a second instance on it', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'card-vault-ddb-'));
    const item = { pk: 'p#1', sk: 's#1', note: 'kept' };
    const start = () => startDynamoDbLocal({ port: 0, dataDir, inMemory: false, readyTimeoutMs: READY_MS });
    const read = async (dynamo: DynamoDbLocal) => {
      const { client, doc } = createDynamoClients({ endpoint: dynamo.endpoint });
      const { Item } = await doc.send(
        new GetCommand({ TableName: 'persisted', Key: { pk: 'p#1', sk: 's#1' } }),
      );
      client.destroy();
      return Item;
    };
    let dynamo = await start();
    try {
      const { client, doc } = createDynamoClients({ endpoint: dynamo.endpoint });
      await ensureTable(client, 'persisted');
      await doc.send(new PutCommand({ TableName: 'persisted', Item: item }));
      client.destroy();
      await dynamo.stop();

      dynamo = await start();
      expect(await read(dynamo)).toEqual(item);
      if (process.platform === 'linux') {
        await expect(start()).rejects.toThrow(new RegExp(`in use by DynamoDB Local pid ${dynamo.pid}`));
      }

      // A crash leaves no lock behind: the next instance opens the same SQLite file normally.
      process.kill(dynamo.pid, 'SIGKILL');
      await dynamo.stop();
      dynamo = await start();
      expect(await read(dynamo)).toEqual(item);
    } finally {
      await dynamo.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 360_000);
});

/**
 * Does DynamoDB Local keep every write it acknowledged when its process is SIGKILLed? Run:
 * `npx tsx test/support/dynamodb-local-durability.ts [stream]` (a few times: the loss is intermittent).
 * 16 writers commit 2-item transactions on an on-disk DynamoDB Local; after 1.5 s it is killed,
 * restarted on the same data, and every acknowledged transaction is read back.
 *
 * Found on 2026-12-02 (DynamoDB Local 3.3.0): in 2 of 10 kills one acknowledged transaction was
 * gone after the restart, with or without a stream on the table, always whole (never one item of
 * two). The emulator can lose its last commit on a process kill; test/e2e/crash-consistency.test.ts
 * met this as an order answered 201 and missing after the restart, and now accounts for it.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { createTableInput } from '../../shared/adapters/dynamodb/create-table.js';
import { createDynamoClients } from '../../shared/adapters/dynamodb/dynamodb-clients.js';
import { startDynamoDbLocal } from '../../shared/local/dynamodb-local.js';

const stream = process.argv[2] === 'stream';
const dataDir = await mkdtemp(join(tmpdir(), 'dur-'));
let db = await startDynamoDbLocal({ port: 0, inMemory: false, dataDir });
let { client, doc } = createDynamoClients({ endpoint: db.endpoint });
const input = createTableInput('durability');
if (!stream) delete (input as any).StreamSpecification;
await client.send(new CreateTableCommand(input));
const acked: string[] = [];
let stop = false;
const writers = Array.from({ length: 16 }, async (_, w) => {
  for (let i = 0; !stop; i++) {
    const pk = `P#${w}#${i}`;
    try {
      await doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: 'durability',
                Item: { pk, sk: 'A' },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            { Put: { TableName: 'durability', Item: { pk, sk: 'B' } } },
          ],
        }),
      );
      acked.push(pk);
    } catch {
      return;
    }
  }
});
await new Promise((r) => setTimeout(r, 1500));
process.kill(db.pid, 'SIGKILL');
stop = true;
await Promise.allSettled(writers);
const port = db.port;
await new Promise((r) => setTimeout(r, 500));
db = await startDynamoDbLocal({ port, inMemory: false, dataDir });
({ client, doc } = createDynamoClients({ endpoint: db.endpoint }));
let lost = 0;
let partial = 0;
for (const pk of acked) {
  const a = await doc.send(new GetCommand({ TableName: 'durability', Key: { pk, sk: 'A' } }));
  const b = await doc.send(new GetCommand({ TableName: 'durability', Key: { pk, sk: 'B' } }));
  if (!a.Item && !b.Item) lost++;
  else if (!a.Item || !b.Item) partial++;
}
console.log(JSON.stringify({ stream, acked: acked.length, lost, partial }));
await db.stop();
process.exit(0);

/** One DynamoDB request as IAM sees it: the action, the partition it reaches, the index if any. */
export interface DynamoCall {
  readonly action: string;
  readonly pk?: string;
  readonly index?: string;
}

export const WRITE_ACTIONS = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem']);

/** IAM's `StringLike`: `*` matches any run of characters. */
export function likeIam(pattern: string, value: string): boolean {
  const escaped = pattern.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`).test(value);
}

/**
 * A document-client command as the IAM actions it needs: transactions item by item, with
 * partition keys. The stores name a table query's partition `:pk` and a due-index shard
 * `:shard`, so an index query carries the index's partition value too.
 */
export function iamCalls(command: { constructor: { name: string }; input: any }): DynamoCall[] {
  const { input } = command;
  const pkOf = (x: any) => (x?.Item ?? x?.Key)?.pk as string | undefined;
  switch (command.constructor.name) {
    case 'GetCommand':
      return [{ action: 'GetItem', pk: pkOf(input) }];
    case 'QueryCommand': {
      const values = input.ExpressionAttributeValues ?? {};
      return [
        input.IndexName
          ? { action: 'Query', index: input.IndexName, pk: values[':shard'] ?? values[':pk'] }
          : { action: 'Query', pk: values[':pk'] },
      ];
    }
    case 'PutCommand':
      return [{ action: 'PutItem', pk: pkOf(input) }];
    case 'UpdateCommand':
      return [{ action: 'UpdateItem', pk: pkOf(input) }];
    case 'DeleteCommand':
      return [{ action: 'DeleteItem', pk: pkOf(input) }];
    case 'TransactWriteCommand':
      return input.TransactItems.map((item: any) => {
        const [kind, body] = Object.entries(item)[0] as [string, unknown];
        const action = {
          Put: 'PutItem',
          Update: 'UpdateItem',
          Delete: 'DeleteItem',
          ConditionCheck: 'ConditionCheckItem',
        }[kind];
        return { action: action ?? kind, pk: pkOf(body) };
      });
    default:
      return [{ action: command.constructor.name }];
  }
}

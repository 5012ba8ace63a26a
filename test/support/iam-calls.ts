/** One DynamoDB request as IAM sees it: the action, the partition it reaches, the index if any. */
export interface DynamoCall {
  readonly action: string;
  readonly pk?: string;
  readonly index?: string;
  /** The attribute names the request's expressions name (`dynamodb:Attributes`), for Query, GetItem and UpdateItem. */
  readonly attributes?: readonly string[];
  readonly select?: string;
  readonly returnValues?: string;
}

const EXPRESSION_WORDS = new Set([
  'SET',
  'REMOVE',
  'ADD',
  'DELETE',
  'AND',
  'OR',
  'NOT',
  'IN',
  'BETWEEN',
  'attribute_exists',
  'attribute_not_exists',
  'attribute_type',
  'begins_with',
  'contains',
  'size',
  'if_not_exists',
  'list_append',
]);

/** The top-level attribute names of a request's expressions (names resolved, values dropped). */
function attributesOf(input: any, ...fields: string[]): string[] {
  const names: Record<string, string> = input.ExpressionAttributeNames ?? {};
  const found = new Set<string>();
  for (const field of fields) {
    const expression: unknown = input[field];
    if (typeof expression !== 'string') continue;
    for (const token of expression.match(/[#:]?[A-Za-z_][A-Za-z0-9_]*/g) ?? []) {
      if (token.startsWith(':') || EXPRESSION_WORDS.has(token)) continue;
      found.add(token.startsWith('#') ? (names[token] ?? token) : token);
    }
  }
  return [...found];
}

export const WRITE_ACTIONS = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem']);

/** IAM's `StringLike`: `*` matches any run of characters (`#` included), `?` exactly one. */
export function likeIam(pattern: string, value: string): boolean {
  const source = [...pattern]
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`).test(value);
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
      return [
        {
          action: 'GetItem',
          pk: pkOf(input),
          attributes: attributesOf(input, 'ProjectionExpression'),
          ...(input.ProjectionExpression ? { select: 'SPECIFIC_ATTRIBUTES' } : {}),
        },
      ];
    case 'QueryCommand': {
      const values = input.ExpressionAttributeValues ?? {};
      const read = {
        attributes: attributesOf(input, 'ProjectionExpression', 'KeyConditionExpression', 'FilterExpression'),
        ...(input.Select ? { select: input.Select } : {}),
      };
      return [
        input.IndexName
          ? { action: 'Query', index: input.IndexName, pk: values[':shard'] ?? values[':pk'], ...read }
          : { action: 'Query', pk: values[':pk'], ...read },
      ];
    }
    case 'PutCommand':
      return [{ action: 'PutItem', pk: pkOf(input) }];
    case 'UpdateCommand':
      return [
        {
          action: 'UpdateItem',
          pk: pkOf(input),
          attributes: attributesOf(input, 'UpdateExpression', 'ConditionExpression'),
          ...(input.ReturnValues ? { returnValues: input.ReturnValues } : {}),
        },
      ];
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

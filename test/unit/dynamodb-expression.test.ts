import { describe, expect, it } from 'vitest';
import {
  anyOf,
  contains,
  type Expressions,
  equals,
  exists,
  expression,
  greaterThan,
  isIn,
  notEquals,
  notExists,
  sizeEquals,
} from '../../shared/adapters/dynamodb/expression.js';

/** Every placeholder sent is one the expressions use, and every one they use is sent. */
function expectNoStrayPlaceholders(e: Expressions): void {
  const text = `${e.UpdateExpression ?? ''} ${e.ConditionExpression ?? ''}`;
  const used = (sigil: string) => new Set(text.match(new RegExp(`${sigil}[A-Za-z0-9_]+`, 'g')) ?? []);
  expect(new Set(Object.keys(e.ExpressionAttributeNames ?? {}))).toEqual(used('#'));
  expect(new Set(Object.keys(e.ExpressionAttributeValues ?? {}))).toEqual(used(':'));
}

describe('expression builder', () => {
  it('writes SET, REMOVE, ADD and DELETE clauses with a name and a value per attribute', () => {
    const e = expression()
      .set('state', 'sold')
      .remove('orderId', 'gsi2pk')
      .add('balHeld_EUR', 500)
      .delete('waiting', new Set(['evt_1']))
      .build();
    expect(e).toEqual({
      UpdateExpression:
        'SET #state = :state REMOVE #orderId, #gsi2pk ADD #balHeld_EUR :balHeld_EUR DELETE #waiting :waiting',
      ExpressionAttributeNames: {
        '#state': 'state',
        '#orderId': 'orderId',
        '#gsi2pk': 'gsi2pk',
        '#balHeld_EUR': 'balHeld_EUR',
        '#waiting': 'waiting',
      },
      ExpressionAttributeValues: { ':state': 'sold', ':balHeld_EUR': 500, ':waiting': new Set(['evt_1']) },
    });
  });

  it('writes if_not_exists and list_append, starting a missing list empty unless told not to', () => {
    const e = expression()
      .setIfMissing('status', 'active')
      .append('strikeTimes', ['t1'])
      .append('attempts', [{ at: 't1' }], { orEmpty: false })
      .build();
    expect(e.UpdateExpression).toBe(
      'SET #status = if_not_exists(#status, :status), ' +
        '#strikeTimes = list_append(if_not_exists(#strikeTimes, :empty), :strikeTimes), ' +
        '#attempts = list_append(#attempts, :attempts)',
    );
    expect(e.ExpressionAttributeValues).toEqual({
      ':status': 'active',
      ':empty': [],
      ':strikeTimes': ['t1'],
      ':attempts': [{ at: 't1' }],
    });
  });

  it('uses one name for an attribute referred to by the update and the condition', () => {
    const e = expression().set('state', 'sold').when(equals('state', 'reserved')).build();
    expect(e.UpdateExpression).toBe('SET #state = :state');
    expect(e.ConditionExpression).toBe('#state = :state_2');
    expect(e.ExpressionAttributeNames).toEqual({ '#state': 'state' });
    expect(e.ExpressionAttributeValues).toEqual({ ':state': 'sold', ':state_2': 'reserved' });
  });

  it('uses one value placeholder for an equal scalar, and one for the empty list', () => {
    const e = expression()
      .set('firstAttemptAt', 't1')
      .set('nextAttemptAt', 't1')
      .append('a', ['x'])
      .append('b', ['y'])
      .build();
    expect(e.UpdateExpression).toBe(
      'SET #firstAttemptAt = :firstAttemptAt, #nextAttemptAt = :firstAttemptAt, ' +
        '#a = list_append(if_not_exists(#a, :empty), :a), #b = list_append(if_not_exists(#b, :empty), :b)',
    );
    expectNoStrayPlaceholders(e);
  });

  it('lets a later SET of an attribute replace the earlier one, leaving nothing of it behind', () => {
    const e = expression().setIfMissing('status', 'active').set('status', 'suspended').build();
    expect(e).toEqual({
      UpdateExpression: 'SET #status = :status',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':status': 'suspended' },
    });
  });

  it('joins conditions with AND and parenthesises an OR among them', () => {
    const e = expression()
      .when(anyOf(notExists('status'), equals('status', 'active')), sizeEquals('strikeTimes', 2))
      .build();
    expect(e.ConditionExpression).toBe(
      '(attribute_not_exists(#status) OR #status = :status) AND size(#strikeTimes) = :strikeTimes',
    );
    expect(e.UpdateExpression).toBeUndefined();
    expectNoStrayPlaceholders(e);
  });

  it('leaves a lone OR unparenthesised and skips terms given as false or undefined', () => {
    const e = expression()
      .when(false, anyOf(notExists('status'), equals('status', 'active')), undefined)
      .build();
    expect(e.ConditionExpression).toBe('attribute_not_exists(#status) OR #status = :status');
  });

  it('writes IN, <>, >, contains and attribute_exists', () => {
    const e = expression()
      .when(
        exists('pk'),
        isIn('state', ['delivered', 'failed']),
        notEquals('status', 'suspended'),
        greaterThan('consecutiveFailures', 0),
        contains('waiting', 'evt_2'),
      )
      .build();
    expect(e.ConditionExpression).toBe(
      'attribute_exists(#pk) AND #state IN (:state, :state_2) AND #status <> :status' +
        ' AND #consecutiveFailures > :consecutiveFailures AND contains(#waiting, :waiting)',
    );
    expect(e.ExpressionAttributeValues).toEqual({
      ':state': 'delivered',
      ':state_2': 'failed',
      ':status': 'suspended',
      ':consecutiveFailures': 0,
      ':waiting': 'evt_2',
    });
  });

  it('names each part of a map path once', () => {
    const e = expression()
      .when(equals('escalation.attempts', 2), equals('escalation.reason', 'issuer_unavailable'))
      .build();
    expect(e.ConditionExpression).toBe('#escalation.#attempts = :attempts AND #escalation.#reason = :reason');
    expect(e.ExpressionAttributeNames).toEqual({
      '#escalation': 'escalation',
      '#attempts': 'attempts',
      '#reason': 'reason',
    });
  });

  it('creates no names or values for a condition with none, and no fields at all when empty', () => {
    expect(expression().build()).toEqual({});
    expect(expression().remove('head').build()).toEqual({
      UpdateExpression: 'REMOVE #head',
      ExpressionAttributeNames: { '#head': 'head' },
    });
  });

  it('keeps placeholders valid and distinct for names DynamoDB placeholders cannot spell', () => {
    const e = expression().set('a-b', 1).set('a_b', 2).build();
    expect(e.UpdateExpression).toBe('SET #a_b = :a_b, #a_b_2 = :a_b_2');
    expect(e.ExpressionAttributeNames).toEqual({ '#a_b': 'a-b', '#a_b_2': 'a_b' });
  });

  it('refuses an empty OR rather than sending a broken condition', () => {
    expect(() => expression().when(anyOf()).build()).toThrow(/empty OR/);
  });

  it('builds a condition alone for a Put or ConditionCheck, and refuses one with no condition or an update', () => {
    expect(expression().when(notExists('pk')).buildCondition()).toEqual({
      ConditionExpression: 'attribute_not_exists(#pk)',
      ExpressionAttributeNames: { '#pk': 'pk' },
    });
    expect(() => expression().buildCondition()).toThrow(/needs a condition/);
    expect(() => expression().set('a', 1).when(exists('a')).buildCondition()).toThrow(/no update/);
  });

  it('builds an update only when it has a clause', () => {
    expect(expression().add('n', 1).buildUpdate().UpdateExpression).toBe('ADD #n :n');
    expect(() => expression().when(exists('a')).buildUpdate()).toThrow(/needs a clause/);
  });
});

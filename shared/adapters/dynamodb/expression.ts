/**
 * One builder for DynamoDB condition and update expressions. Clauses are kept as data and written
 * out once by `build()`, which hands out a `#name` or `:value` placeholder the first time a clause
 * refers to it (the same attribute always gets the same name), so every placeholder sent is used:
 * DynamoDB rejects unused ones. A clause is never cut out afterwards; a later SET of the same
 * attribute replaces the earlier one (DynamoDB refuses two updates of one path anyway).
 */

/** An attribute, or a member of a map attribute written with dots (`escalation.attempts`). */
export type Path = string;

type Comparison = '=' | '<>' | '<' | '<=' | '>' | '>=';

export type Condition =
  | { readonly kind: 'compare'; readonly path: Path; readonly op: Comparison; readonly value: unknown }
  | { readonly kind: 'exists' | 'notExists'; readonly path: Path }
  | { readonly kind: 'in'; readonly path: Path; readonly values: readonly unknown[] }
  | { readonly kind: 'size'; readonly path: Path; readonly value: number }
  | { readonly kind: 'contains'; readonly path: Path; readonly value: unknown }
  | { readonly kind: 'and' | 'or'; readonly terms: readonly Condition[] };

const compare =
  (op: Comparison) =>
  (path: Path, value: unknown): Condition => ({ kind: 'compare', path, op, value });
export const equals = compare('=');
export const notEquals = compare('<>');
export const lessThan = compare('<');
export const greaterThan = compare('>');
export const atMost = compare('<=');
export const exists = (path: Path): Condition => ({ kind: 'exists', path });
export const notExists = (path: Path): Condition => ({ kind: 'notExists', path });
export const isIn = (path: Path, values: readonly unknown[]): Condition => ({ kind: 'in', path, values });
export const sizeEquals = (path: Path, value: number): Condition => ({ kind: 'size', path, value });
export const contains = (path: Path, value: unknown): Condition => ({ kind: 'contains', path, value });
export const anyOf = (...terms: Condition[]): Condition => ({ kind: 'or', terms });
export const allOf = (...terms: Condition[]): Condition => ({ kind: 'and', terms });

type SetOperand =
  | { readonly kind: 'value'; readonly value: unknown }
  | { readonly kind: 'ifMissing'; readonly value: unknown }
  | { readonly kind: 'append'; readonly items: readonly unknown[]; readonly orEmpty: boolean };

/** The expression fields of a Put, Update, Delete or ConditionCheck; absent ones are left out. */
export interface Expressions {
  UpdateExpression?: string;
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
}

export class ExpressionBuilder {
  private readonly sets = new Map<Path, SetOperand>();
  private readonly adds = new Map<Path, unknown>();
  private readonly removes = new Set<Path>();
  private readonly deletes = new Map<Path, unknown>();
  private readonly conditions: Condition[] = [];

  /** `SET path = value`, replacing any earlier SET of the same path. */
  set(path: Path, value: unknown): this {
    this.sets.set(path, { kind: 'value', value });
    return this;
  }

  /** `SET path = if_not_exists(path, value)`: a default that never overwrites. */
  setIfMissing(path: Path, value: unknown): this {
    this.sets.set(path, { kind: 'ifMissing', value });
    return this;
  }

  /** `SET path = list_append(path, items)`; with `orEmpty` (the default) a missing list starts empty. */
  append(path: Path, items: readonly unknown[], options: { orEmpty?: boolean } = {}): this {
    this.sets.set(path, { kind: 'append', items, orEmpty: options.orEmpty ?? true });
    return this;
  }

  /** `ADD path value`: a number added, or members added to a set. */
  add(path: Path, value: number | ReadonlySet<unknown>): this {
    this.adds.set(path, value);
    return this;
  }

  /** `DELETE path members`: members taken out of a set. */
  delete(path: Path, members: ReadonlySet<unknown>): this {
    this.deletes.set(path, members);
    return this;
  }

  remove(...paths: Path[]): this {
    for (const path of paths) this.removes.add(path);
    return this;
  }

  /** Conditions the write requires, all of them (AND); `false` or `undefined` terms are skipped. */
  when(...terms: (Condition | false | undefined)[]): this {
    for (const term of terms) if (term) this.conditions.push(term);
    return this;
  }

  /** An update's fields; an update with no clause is a mistake. */
  buildUpdate(): UpdateExpressions {
    const { UpdateExpression, ...rest } = this.build();
    if (UpdateExpression === undefined) throw new Error('an update expression needs a clause');
    return { UpdateExpression, ...rest };
  }

  /** The condition alone; an update clause here, or no condition at all, is a mistake. */
  buildCondition(): ConditionExpressions {
    const { UpdateExpression, ConditionExpression, ...placeholders } = this.build();
    if (UpdateExpression !== undefined || ConditionExpression === undefined) {
      throw new Error('a condition-only expression needs a condition and no update');
    }
    return { ConditionExpression, ...placeholders };
  }

  build(): Expressions {
    const p = new Placeholders();
    const sets = [...this.sets].map(([path, operand]) => `${p.name(path)} = ${setOperand(p, path, operand)}`);
    const clauses = [
      sets.length > 0 ? `SET ${sets.join(', ')}` : '',
      this.removes.size > 0 ? `REMOVE ${[...this.removes].map((x) => p.name(x)).join(', ')}` : '',
      pairs('ADD', p, this.adds),
      pairs('DELETE', p, this.deletes),
    ].filter((c) => c !== '');
    const condition = this.conditions.length > 0 ? render(p, allOf(...this.conditions), true) : '';
    return {
      ...(clauses.length > 0 ? { UpdateExpression: clauses.join(' ') } : {}),
      ...(condition ? { ConditionExpression: condition } : {}),
      ...p.fields(),
    };
  }
}

/** The fields of an update: its clauses are required, its condition optional. */
export type UpdateExpressions = Omit<Expressions, 'UpdateExpression'> & { UpdateExpression: string };

/** The fields of a write that only has a condition (a Put, a Delete, a ConditionCheck). */
export type ConditionExpressions = Omit<Expressions, 'UpdateExpression' | 'ConditionExpression'> & {
  ConditionExpression: string;
};

/** A fresh builder: `expression().set(...).when(...).build()`. */
export const expression = (): ExpressionBuilder => new ExpressionBuilder();

function setOperand(p: Placeholders, path: Path, operand: SetOperand): string {
  switch (operand.kind) {
    case 'value':
      return p.value(operand.value, path);
    case 'ifMissing':
      return `if_not_exists(${p.name(path)}, ${p.value(operand.value, path)})`;
    case 'append': {
      const list = operand.orEmpty ? `if_not_exists(${p.name(path)}, ${p.value([], 'empty')})` : p.name(path);
      return `list_append(${list}, ${p.value(operand.items, path)})`;
    }
  }
}

function pairs(keyword: string, p: Placeholders, entries: Map<Path, unknown>): string {
  if (entries.size === 0) return '';
  return `${keyword} ${[...entries].map(([path, value]) => `${p.name(path)} ${p.value(value, path)}`).join(', ')}`;
}

/** A condition as text; an OR (or a nested AND) is parenthesised when it is one term among others. */
function render(p: Placeholders, c: Condition, alone: boolean): string {
  switch (c.kind) {
    case 'compare':
      return `${p.name(c.path)} ${c.op} ${p.value(c.value, c.path)}`;
    case 'exists':
      return `attribute_exists(${p.name(c.path)})`;
    case 'notExists':
      return `attribute_not_exists(${p.name(c.path)})`;
    case 'in':
      return `${p.name(c.path)} IN (${c.values.map((v) => p.value(v, c.path)).join(', ')})`;
    case 'size':
      return `size(${p.name(c.path)}) = ${p.value(c.value, c.path)}`;
    case 'contains':
      return `contains(${p.name(c.path)}, ${p.value(c.value, c.path)})`;
    case 'and':
    case 'or': {
      if (c.terms.length === 0) throw new Error(`an empty ${c.kind.toUpperCase()} condition`);
      if (c.terms.length === 1) return render(p, c.terms[0] as Condition, alone);
      const text = c.terms.map((t) => render(p, t, false)).join(c.kind === 'and' ? ' AND ' : ' OR ');
      return alone ? text : `(${text})`;
    }
  }
}

/** Placeholders handed out on first reference: one `#name` per attribute name, one `:value` per equal scalar. */
class Placeholders {
  private readonly names = new Map<string, string>();
  private readonly values = new Map<string, unknown>();
  private readonly scalars = new Map<string, string>();

  name(path: Path): string {
    return path
      .split('.')
      .map((part) => {
        const known = this.names.get(part);
        if (known) return known;
        const placeholder = this.unique('#', part, (x) => [...this.names.values()].includes(x));
        this.names.set(part, placeholder);
        return placeholder;
      })
      .join('.');
  }

  value(value: unknown, hint: string): string {
    const scalar = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
    const emptyList = Array.isArray(value) && value.length === 0;
    const key = scalar ? `${typeof value}:${String(value)}` : emptyList ? '[]' : undefined;
    const known = key === undefined ? undefined : this.scalars.get(key);
    if (known) return known;
    const placeholder = this.unique(':', hint, (x) => this.values.has(x));
    this.values.set(placeholder, value);
    if (key !== undefined) this.scalars.set(key, placeholder);
    return placeholder;
  }

  fields(): Pick<Expressions, 'ExpressionAttributeNames' | 'ExpressionAttributeValues'> {
    return {
      ...(this.names.size > 0
        ? { ExpressionAttributeNames: Object.fromEntries([...this.names].map(([n, p]) => [p, n])) }
        : {}),
      ...(this.values.size > 0 ? { ExpressionAttributeValues: Object.fromEntries(this.values) } : {}),
    };
  }

  private unique(sigil: string, hint: string, taken: (x: string) => boolean): string {
    const base = `${sigil}${
      hint
        .split('.')
        .at(-1)
        ?.replace(/[^A-Za-z0-9_]/g, '_') || 'x'
    }`;
    let placeholder = base;
    for (let n = 2; taken(placeholder); n++) placeholder = `${base}_${n}`;
    return placeholder;
  }
}

/**
 * The HTTP layer's zod in the Lambda bundles (openapi-lite.ts exports it as `z`): the subset of
 * classic zod's API our schemas use, each schema a recipe that builds its zod/mini schema the
 * first time it validates. A Lambda's cold start then builds no schema at all: a request builds
 * only its own route's (a function's other routes, every response and problem schema, which
 * only the OpenAPI document reads, are never built), and classic zod's code is not in the bundle.
 *
 * Each method maps to the check classic zod's method adds (zod/v4/classic/schemas.js), so the
 * same input gives the same issues and messages; the bundle tests hold the bundled answers to
 * the local ones. Anything else throws when a module is loaded, never at a request.
 */

import * as zm from 'zod/mini';
import en from 'zod/v4/locales/en.js';

// Classic zod registers English when it builds its first schema; mini leaves messages to us.
zm.config(en());

type Kind = 'string' | 'number' | 'array' | 'object' | 'other';
type Shape = Readonly<Record<string, LazySchema>>;
type Params = string | { message?: string; error?: string } | undefined;

/** A schema not built yet: chains like classic zod's, builds (once) on its first parse. */
export class LazySchema {
  #built: zm.ZodMiniType | undefined;

  constructor(
    private readonly make: () => zm.ZodMiniType,
    private readonly kind: Kind,
    /** An object's fields, for openapi-lite's header-name mapping (it reads only the keys). */
    readonly shape?: Shape,
  ) {}

  get schema(): zm.ZodMiniType {
    this.#built ??= this.make();
    return this.#built;
  }

  safeParse(value: unknown) {
    return this.schema.safeParse(value);
  }

  safeParseAsync(value: unknown) {
    return this.schema.safeParseAsync(value);
  }

  /** Document metadata: the document is built elsewhere (functions/openapi-document.ts). */
  openapi(): this {
    return this;
  }

  optional() {
    return this.wrap(() => zm.optional(this.schema));
  }

  nullable() {
    return this.wrap(() => zm.nullable(this.schema));
  }

  default(value: unknown) {
    return this.wrap(() => zm._default(this.schema, value as never));
  }

  regex(pattern: RegExp, params?: Params) {
    return this.check(() => zm.regex(pattern, params));
  }

  min(n: number, params?: Params) {
    return this.check(() => (this.kind === 'number' ? zm.gte(n, params) : zm.minLength(n, params)));
  }

  max(n: number, params?: Params) {
    return this.check(() => (this.kind === 'number' ? zm.lte(n, params) : zm.maxLength(n, params)));
  }

  int(params?: Params) {
    return this.check(() => zm.int(params));
  }

  positive(params?: Params) {
    return this.check(() => zm.gt(0, params));
  }

  nonnegative(params?: Params) {
    return this.check(() => zm.gte(0, params));
  }

  refine(test: (value: never) => unknown, params?: Params) {
    return this.check(() => zm.refine(test, params));
  }

  extend(fields: Shape) {
    if (this.kind !== 'object') throw new Error('lazy-zod: extend() is for objects');
    const shape = { ...this.shape, ...fields };
    return new LazySchema(() => zm.extend(this.schema as zm.ZodMiniObject, built(fields)), 'object', shape);
  }

  private wrap(make: () => zm.ZodMiniType) {
    return new LazySchema(make, 'other', this.shape);
  }

  private check(make: () => zm.core.$ZodCheck<never>) {
    return new LazySchema(
      () => this.schema.check(make() as zm.core.$ZodCheck<unknown>),
      this.kind,
      this.shape,
    );
  }
}

const lazy = (kind: Kind, make: () => zm.ZodMiniType, shape?: Shape) => new LazySchema(make, kind, shape);

function built(shape: Shape): Record<string, zm.ZodMiniType> {
  return Object.fromEntries(Object.entries(shape).map(([key, s]) => [key, s.schema]));
}

/** The members of `z` the HTTP layer calls (see shared/http/zod.ts). */
export const z = {
  string: (params?: Params) => lazy('string', () => zm.string(params)),
  url: (params?: Parameters<typeof zm.url>[0]) => lazy('string', () => zm.url(params)),
  number: (params?: Params) => lazy('number', () => zm.number(params)),
  boolean: (params?: Params) => lazy('other', () => zm.boolean(params)),
  unknown: () => lazy('other', () => zm.unknown()),
  literal: (value: string | number | boolean, params?: Params) =>
    lazy('other', () => zm.literal(value, params)),
  enum: (values: readonly string[], params?: Params) =>
    lazy('other', () => zm.enum(values as [string, ...string[]], params)),
  object: (shape: Shape, params?: Params) => lazy('object', () => zm.object(built(shape), params), shape),
  strictObject: (shape: Shape, params?: Params) =>
    lazy('object', () => zm.strictObject(built(shape), params), shape),
  array: (element: LazySchema, params?: Params) => lazy('array', () => zm.array(element.schema, params)),
  record: (key: LazySchema, value: LazySchema, params?: Params) =>
    lazy('other', () => zm.record(key.schema as never, value.schema, params)),
  union: (options: readonly LazySchema[], params?: Params) =>
    lazy('other', () =>
      zm.union(options.map((o) => o.schema) as [zm.ZodMiniType, ...zm.ZodMiniType[]], params),
    ),
  coerce: { number: (params?: Params) => lazy('number', () => zm.coerce.number(params)) },
};

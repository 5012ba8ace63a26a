/**
 * zod for the HTTP layer: the schema builders its modules call, taken from `@hono/zod-openapi`'s
 * `z`, so that one import decides what they are. In Node that is classic zod with the OpenAPI
 * generator's `.openapi()` installed, and `/openapi.json` is built from it. The Lambda bundles
 * alias `@hono/zod-openapi` to ./openapi-lite.ts, whose `z` is ./lazy-zod.ts: the same API over
 * zod/mini, each schema built at its first parse, so a cold start builds none and carries no
 * classic zod. Import it as a namespace, `import * as z from '../zod.js'`; a builder not listed
 * here is one lazy-zod.ts must learn first (the bundle tests fail until it does).
 */
// biome-ignore lint/style/noRestrictedImports: the one place the HTTP layer takes `z`, as its members, for the bundles' alias to swap.
import { z } from '@hono/zod-openapi';

export type * from 'zod';

export const {
  string,
  url,
  number,
  boolean,
  unknown,
  literal,
  object,
  strictObject,
  array,
  record,
  union,
  coerce,
} = z;
const enumOf = z.enum;

export { enumOf as enum };

/**
 * zod for the HTTP layer, with `.openapi()` installed on its schemas before any module here
 * builds one. Import it as a namespace, `import * as z from '../zod.js'` (never `{ z }`): esbuild
 * then keeps only the schema kinds we call, while zod's `z` object, used as a value, keeps all of
 * zod (its locales, JSON Schema and codec code), about 450 KB of every Lambda bundle.
 *
 * In Node, `@hono/zod-openapi` installs the OpenAPI generator's `.openapi()`; the Lambda bundles
 * alias it to ./openapi-lite.ts, whose `.openapi()` is a no-op (the document is built at synth).
 */
import '@hono/zod-openapi';

export * from 'zod';

import type { Context } from 'hono';
import type * as z from 'zod';

/** An answer the handlers throw; `onError` turns it into problem+json. */
export class SimProblem extends Error {
  constructor(
    readonly status: number,
    readonly problem: string,
    message: string,
  ) {
    super(message);
  }
}

export function problemResponse(status: number, problem: string, detail: string): Response {
  const doc = { type: `urn:card-vault:issuer-sim:problem:${problem}`, title: problem, status, detail };
  return new Response(JSON.stringify(doc), {
    status,
    headers: { 'content-type': 'application/problem+json' },
  });
}

/** Parses and validates a JSON body. Details name fields only: a value could be a code. */
export async function readBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  let json: unknown;
  try {
    json = await c.req.json();
  } catch {
    throw new SimProblem(400, 'validation', 'the body must be JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.') || '(body)');
    throw new SimProblem(400, 'validation', `invalid fields: ${[...new Set(fields)].join(', ')}`);
  }
  return parsed.data;
}

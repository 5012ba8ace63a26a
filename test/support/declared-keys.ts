/**
 * Paths of the keys in `value` that `schema` (OpenAPI 3.1 JSON Schema, `$ref`s resolved in
 * `components`) does not declare, at every level. Stricter than JSON Schema on purpose: a key
 * is declared only by `properties` or by an explicit `additionalProperties` schema (a record).
 */
export function undeclaredKeys(
  value: unknown,
  schema: JsonSchema | undefined,
  components: Record<string, JsonSchema>,
  path = '$',
): string[] {
  if (schema === undefined) return [`${path} (no schema)`];
  const resolved = resolve(schema, components);
  // `{}` is `unknown`: a free-form value declared as such (an event's `data`).
  if (Object.keys(resolved).length === 0) return [];
  // `allOf` (a problem narrowed to a route's codes): a key declared by any member is declared.
  if (resolved.allOf) {
    const members = resolved.allOf.map((member) => resolve(member, components));
    const merged: JsonSchema = {
      properties: Object.assign({}, ...members.map((m) => m.properties ?? {})),
      ...(members.find((m) => m.additionalProperties) ?? {}),
    };
    return undeclaredKeys(value, merged, components, path);
  }
  const alternatives = [...(resolved.anyOf ?? []), ...(resolved.oneOf ?? [])];
  if (alternatives.length > 0) {
    const misses = alternatives.map((alt) => undeclaredKeys(value, alt, components, path));
    return misses.find((m) => m.length === 0) ?? misses[0] ?? [];
  }
  if (Array.isArray(value)) {
    return value.flatMap((item, i) => undeclaredKeys(item, resolved.items, components, `${path}[${i}]`));
  }
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const declared = resolved.properties?.[key] ?? recordValues(resolved.additionalProperties);
    if (declared === undefined) return [`${path}.${key}`];
    return undeclaredKeys(child, declared, components, `${path}.${key}`);
  });
}

export interface JsonSchema {
  $ref?: string;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
}

function resolve(schema: JsonSchema, components: Record<string, JsonSchema>): JsonSchema {
  if (schema.$ref === undefined) return schema;
  const name = schema.$ref.replace('#/components/schemas/', '');
  const target = components[name];
  if (target === undefined) throw new Error(`unresolved ${schema.$ref}`);
  return resolve(target, components);
}

function recordValues(additional: JsonSchema | boolean | undefined): JsonSchema | undefined {
  return typeof additional === 'object' ? additional : undefined;
}

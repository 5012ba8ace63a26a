import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { cruise, type ICruiseResult, type IForbiddenRuleType } from 'dependency-cruiser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const config = createRequire(import.meta.url)('../../.dependency-cruiser.cjs') as {
  forbidden: IForbiddenRuleType[];
};

/**
 * A miniature of the source tree, wired the way the real one is: every import here is one the
 * architecture relies on, so none of them may trip a rule.
 */
const allowed: Record<string, string[]> = {
  'shared/domain/entity.ts': [],
  'shared/ports/port.ts': ['../domain/entity.js'],
  'shared/services/service.ts': ['../domain/entity.js', '../ports/port.js', 'node:crypto'],
  'shared/adapters/adapter.ts': ['../ports/port.js', '../domain/entity.js', '@aws-sdk/client-kms', 'zod'],
  'shared/adapters/dynamodb/table-definition.ts': [],
  'shared/http/route.ts': ['../services/service.js', '../domain/entity.js', 'hono', '@hono/zod-openapi'],
  'shared/config/env-names.ts': [],
  'shared/config/config.ts': ['./env-names.js', '../domain/entity.js', 'zod'],
  'shared/issuer-sim/sim.ts': ['../domain/entity.js', '../ports/port.js', 'hono', 'zod', 'node:http'],
  'shared/local/stack.ts': ['../adapters/adapter.js', '../http/route.js', '../config/config.js', 'node:net'],
  'functions/handler.ts': ['../shared/adapters/adapter.js', '../shared/http/route.js', 'hono/aws-lambda'],
  'infra/stack.ts': ['../shared/config/env-names.js', '../shared/adapters/dynamodb/table-definition.js'],
  'scripts/tool.ts': ['../shared/services/service.js', '../shared/adapters/adapter.js', '../infra/stack.js'],
  'bench/run.ts': ['../shared/local/stack.js', '../shared/config/config.js'],
  'shared/webhooks/verify-webhook.ts': ['../../client/verify-webhook.js'],
  'client/index.ts': ['./transport.js', './verify-webhook.js'],
  'client/verify-webhook.ts': ['node:crypto'],
  'client/transport.ts': [],
  'test/helper.ts': ['../functions/handler.js', '../shared/local/stack.js', '@aws-sdk/client-kms'],
};

/** Per rule, one file that breaks it with a single import (a cycle takes two files). */
const breaches: Record<string, Record<string, string[]>> = {
  'domain-is-pure': { 'shared/domain/breach.ts': ['node:fs'] },
  'client-stands-alone': { 'client/breach.ts': ['../shared/webhooks/verify-webhook.js'] },
  'ports-speak-domain': { 'shared/ports/breach.ts': ['../services/service.js'] },
  'services-use-ports-not-adapters': { 'shared/services/breach-adapter.ts': ['../adapters/adapter.js'] },
  'services-import-no-packages': { 'shared/services/breach-zod.ts': ['zod'] },
  'services-do-no-io': { 'shared/services/breach-io.ts': ['node:fs/promises'] },
  'only-adapters-import-aws-sdk': { 'functions/breach.ts': ['@aws-sdk/client-kms'] },
  'only-http-imports-hono': { 'shared/local/breach-hono.ts': ['hono'] },
  'http-does-not-wire-adapters': { 'shared/http/breach.ts': ['../adapters/adapter.js'] },
  'adapters-do-not-reach-up': { 'shared/adapters/breach.ts': ['../config/config.js'] },
  'config-stands-alone': { 'shared/config/breach.ts': ['../services/service.js'] },
  'issuer-sim-stands-alone': { 'shared/issuer-sim/breach.ts': ['../services/service.js'] },
  'infra-imports-only-shared-constants': { 'infra/breach.ts': ['../shared/services/service.js'] },
  'production-never-imports-tests-or-tools': { 'shared/local/breach-test.ts': ['../../test/helper.js'] },
  'tools-never-import-tests': { 'bench/breach.ts': ['../test/helper.js'] },
  'only-tests-import-entry-points': { 'scripts/breach.ts': ['../functions/handler.js'] },
  'no-circular': {
    'shared/adapters/breach-cycle-a.ts': ['./breach-cycle-b.js'],
    'shared/adapters/breach-cycle-b.ts': ['./breach-cycle-a.js'],
  },
};

const source = (imports: string[]) =>
  `${imports.map((from, i) => `import * as m${i} from '${from}';`).join('\n')}\nexport const uses = [${imports
    .map((_, i) => `m${i}`)
    .join(', ')}];\n`;

let root: string;
let violations: { from: string; rule: string }[];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'dependency-rules-'));
  // Packages resolve through the project's node_modules, as they do for the real tree.
  await symlink(resolve('node_modules'), join(root, 'node_modules'), 'dir');
  const files = [allowed, ...Object.values(breaches)].flatMap((set) => Object.entries(set));
  for (const [file, imports] of files) {
    await mkdir(dirname(join(root, file)), { recursive: true });
    await writeFile(join(root, file), source(imports));
  }
  const { output } = await cruise(
    ['client', 'functions', 'shared', 'infra', 'scripts', 'bench', 'test'],
    {
      baseDir: root,
      validate: true,
      ruleSet: { forbidden: config.forbidden },
      doNotFollow: { path: 'node_modules' },
      tsPreCompilationDeps: true,
    },
    { extensions: ['.ts', '.js'], extensionAlias: { '.js': ['.ts', '.js'] } },
  );
  violations = (output as ICruiseResult).summary.violations.map((v) => ({ from: v.from, rule: v.rule.name }));
}, 30_000);

afterAll(async () => {
  // Removes the node_modules symlink, never what it points to.
  if (root) await rm(root, { recursive: true, force: true });
});

describe('dependency rules (.dependency-cruiser.cjs)', () => {
  it('have a deliberate breach for every rule', () => {
    expect(Object.keys(breaches).sort()).toEqual(config.forbidden.map((rule) => rule.name).sort());
  });

  it('let through every import the architecture relies on', () => {
    expect(violations.filter((v) => v.from in allowed)).toEqual([]);
  });

  it.each(Object.entries(breaches))('%s fires on its breach, and only there', (rule, files) => {
    const fired = violations.filter((v) => v.rule === rule);
    expect(fired).not.toEqual([]);
    expect(fired.filter((v) => !(v.from in files))).toEqual([]);
    expect(violations.filter((v) => v.from in files && v.rule !== rule)).toEqual([]);
  });
});

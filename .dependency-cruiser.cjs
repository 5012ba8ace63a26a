/**
 * The architecture's dependency rules (DESIGN.md "Architecture"), checked in `npm test`:
 * functions -> http -> services -> domain <- adapters.
 */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'domain/ imports nothing outside itself: no node builtins, no packages, no other layer',
      severity: 'error',
      from: { path: '^shared/domain/' },
      to: { pathNot: '^shared/domain/' },
    },
    {
      name: 'ports-speak-domain',
      comment: 'ports are interfaces over domain types',
      severity: 'error',
      from: { path: '^shared/ports/' },
      to: { pathNot: '^shared/(domain|ports)/' },
    },
    {
      name: 'services-use-ports-not-adapters',
      comment: 'use cases know ports only: no AWS, no HTTP, no local stack',
      severity: 'error',
      from: { path: '^shared/services/' },
      to: {
        path: '^shared/(adapters|http|local|issuer-sim|config)/|node_modules/(@aws-sdk|hono|@hono|pino)',
      },
    },
    {
      name: 'only-adapters-import-aws-sdk',
      severity: 'error',
      from: { path: '^(shared|functions)/', pathNot: '^shared/adapters/' },
      to: { path: 'node_modules/@aws-sdk/' },
    },
    {
      name: 'only-http-imports-hono',
      comment:
        'the HTTP layer owns Hono; the issuer simulator is its own HTTP service; functions hand the app to hono/aws-lambda',
      severity: 'error',
      from: { path: '^shared/', pathNot: '^shared/(http|issuer-sim)/' },
      to: { path: 'node_modules/(hono|@hono)/' },
    },
    {
      name: 'adapters-do-not-reach-up',
      severity: 'error',
      from: { path: '^shared/adapters/' },
      to: { path: '^shared/(services|http|local|issuer-sim)/' },
    },
    {
      name: 'infra-imports-only-shared-constants',
      comment: 'the CDK app never imports runtime code, only the table definition and env names',
      severity: 'error',
      from: { path: '^infra/' },
      to: {
        path: '^(shared|functions)/',
        pathNot: '^shared/(config/env-names|adapters/dynamodb/table-definition)\\.ts$',
      },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(cdk\\.out|\\.data)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js'],
    },
  },
};

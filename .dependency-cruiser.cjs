/**
 * The architecture's dependency rules (docs/design.md "Architecture"), checked in `npm test` over
 * every source folder: functions -> http -> services -> domain <- adapters.
 * Composition roots (functions/, shared/local/) choose the adapters and may import any of shared/.
 * test/unit/dependency-rules.test.ts breaks each rule on purpose and expects it to fire.
 */
const PRODUCTION = '^(functions|shared|infra)/';

module.exports = {
  forbidden: [
    {
      name: 'client-stands-alone',
      comment:
        'client/ is a package of its own (@card-vault/client), installed or copied by a marketplace: fetch, WebCrypto and node:crypto (the webhook verifier), nothing else; the vault imports its verifiers from it, never the reverse',
      severity: 'error',
      from: { path: '^client/' },
      to: {
        pathNot: '^(client/|(node:)?crypto$)',
      },
    },
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
      comment: 'use cases know ports only: no AWS, no HTTP, no local stack, no env reading',
      severity: 'error',
      from: { path: '^shared/services/' },
      to: { path: '^shared/(adapters|http|local|issuer-sim|config)/' },
    },
    {
      name: 'services-import-no-packages',
      comment:
        'use cases are plain TypeScript over ports: input is validated in http/ (zod), logged through the Logger port (not the logger adapter), stored through store ports (not the AWS SDK)',
      severity: 'error',
      from: { path: '^shared/services/' },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'services-do-no-io',
      comment:
        'node builtins that reach files, network or processes belong to adapters; crypto stays, as pure computation (hashing.ts, API-key checks in tenant-service.ts)',
      severity: 'error',
      from: { path: '^shared/services/' },
      to: { dependencyTypes: ['core'], pathNot: '^(node:)?crypto$' },
    },
    {
      name: 'only-adapters-import-aws-sdk',
      comment:
        "the bench's storage probe is the one exception: it times bare SDK calls, the floor the adapters are measured against",
      severity: 'error',
      from: {
        path: '^(shared|functions|scripts|bench)/',
        pathNot: '^(shared/adapters/|bench/support/storage-probe\\.ts$)',
      },
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
      name: 'http-does-not-wire-adapters',
      comment:
        'routes are handed the use cases; which adapters back them is chosen by the composition roots (functions/, shared/local/)',
      severity: 'error',
      from: { path: '^shared/http/' },
      to: { path: '^shared/(adapters|config|local|issuer-sim)/' },
    },
    {
      name: 'adapters-do-not-reach-up',
      comment: 'adapters implement ports and take their settings as constructor arguments',
      severity: 'error',
      from: { path: '^shared/adapters/' },
      to: { path: '^shared/(services|http|local|issuer-sim|config)/' },
    },
    {
      name: 'config-stands-alone',
      comment:
        'config reads the environment into plain values; it builds nothing, so it needs only the domain',
      severity: 'error',
      from: { path: '^shared/config/' },
      to: { path: '^(functions|shared|infra|scripts|bench|test)/', pathNot: '^shared/(config|domain)/' },
    },
    {
      name: 'issuer-sim-stands-alone',
      comment:
        'the simulated issuer plays an outside service: it shares the wire types, never the vault code',
      severity: 'error',
      from: { path: '^shared/issuer-sim/' },
      to: { path: '^shared/', pathNot: '^shared/(issuer-sim|domain|ports)/' },
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
      name: 'production-never-imports-tests-or-tools',
      comment: 'test/, bench/ and scripts/ are never bundled: nothing deployed may depend on them',
      severity: 'error',
      from: { path: PRODUCTION },
      to: { path: '^(test|bench|scripts)/' },
    },
    {
      name: 'tools-never-import-tests',
      comment: 'scripts and the bench may use anything of shared/, but run without the test harness',
      severity: 'error',
      from: { path: '^(scripts|bench)/' },
      to: { path: '^test/' },
    },
    {
      name: 'only-tests-import-entry-points',
      comment:
        'functions/ are entry points whose module scope wires a whole stack; anything else reuses shared/ instead',
      severity: 'error',
      from: { path: '^(shared|infra|scripts|bench)/' },
      to: { path: '^functions/' },
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
    exclude: { path: '^(cdk\\.out|\\.data|client/dist)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js'],
    },
  },
};

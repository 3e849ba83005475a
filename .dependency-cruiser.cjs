// Vow's walls, checked by `npm run lint` (scripts/lint-boundaries.mjs runs dependency-cruiser with
// these rules, then checks that no folder-level cycle exists). The layers, from the bottom:
//   src/platform/  infrastructure no module owns: imports no module, app or shell; each part reached
//                  through its index.ts (or its light.ts)
//   src/modules/   the domain: each module is reached only through its index.ts (or its light.ts: a
//                  part of that surface that loads no store, for starts that need no more); imports no shell
//   src/app/       the composition root: wires modules; imports no shell
//   src/http/, src/cli/  shells over app and modules
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      severity: 'error',
      comment: 'An import cycle between files, type-only imports included (madge finds the same none).',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'module-through-index',
      severity: 'error',
      comment:
        'Another module is reached only through its index.ts (its public surface), or its light.ts (a part of it that loads no store).',
      from: { path: '^src/modules/([^/]+)/' },
      to: { path: '^src/modules/(?!$1/)[^/]+/', pathNot: '^src/modules/[^/]+/(index|light)\\.ts$' },
    },
    {
      name: 'shell-to-module-through-index',
      severity: 'error',
      comment: 'Shells and the composition root reach a module only through its index.ts (or light.ts).',
      from: { path: '^src/(app|http|cli)/' },
      to: { path: '^src/modules/', pathNot: '^src/modules/[^/]+/(index|light)\\.ts$' },
    },
    {
      name: 'platform-part-through-index',
      severity: 'error',
      comment:
        'A part of the platform (store, crypto, audit, jobs, mail, metrics, rate-limits) is reached from outside through its index.ts (or its light.ts: a part of it for starts that need no more).',
      from: { path: '^src/', pathNot: '^src/platform/([^/]+)/' },
      to: { path: '^src/platform/[^/]+/', pathNot: '^src/platform/[^/]+/(index|light)\\.ts$' },
    },
    {
      name: 'platform-part-through-index-within-platform',
      severity: 'error',
      comment: 'Inside the platform too, another part is reached through its index.ts.',
      from: { path: '^src/platform/([^/]+)/' },
      to: { path: '^src/platform/(?!$1/)[^/]+/', pathNot: '^src/platform/[^/]+/index\\.ts$' },
    },
    {
      name: 'platform-imports-no-domain',
      severity: 'error',
      comment: 'Shared infrastructure imports no module, no composition root and no shell.',
      from: { path: '^src/platform/' },
      to: { path: '^src/(modules|app|http|cli)/' },
    },
    {
      name: 'domain-imports-no-shell',
      severity: 'error',
      comment: 'Domain modules import nothing from the composition root or the shells (http, web, cli).',
      from: { path: '^src/modules/' },
      to: { path: '^src/(app|http|cli|web)/' },
    },
    {
      name: 'app-imports-no-shell',
      severity: 'error',
      comment: 'The composition root imports no shell.',
      from: { path: '^src/app/' },
      to: { path: '^src/(http|cli)/' },
    },
    {
      name: 'http-imports-no-cli',
      severity: 'error',
      comment: 'The HTTP shell does not depend on the command line.',
      from: { path: '^src/http/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'routes-independent',
      severity: 'error',
      comment:
        'A route file never imports another route file: what two share lives in src/http/route-helpers.ts (or a renderer).',
      from: { path: '^src/http/(api/|(pages|console)/.*-routes\\.ts$)' },
      to: { path: '^src/http/(api/|(pages|console)/.*-routes\\.ts$)' },
    },
    {
      name: 'src-imports-no-tests',
      severity: 'error',
      comment: 'Production code never imports tests, benchmarks or scripts.',
      from: { path: '^src/' },
      to: { path: '^(test|bench|scripts)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^src/web/assets/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};

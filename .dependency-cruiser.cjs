// The boundaries between Capa's areas, checked by `npm run lint:deps` (part of `npm test`).
// docs/architecture.md says which folder may use what, and why.
/** @type {import('dependency-cruiser').IConfiguration} */
const NATIVE_OR_ENGINE = '^(electron|better-sqlite3|sharp|onnxruntime-node|onnxruntime-web|@tensorflow/.+|ws)$';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle (type-only imports count): one of the modules belongs elsewhere.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'renderer-imports-contract-and-common',
      severity: 'error',
      comment:
        'The renderer is sandboxed web code: it may use its own files, the contract (types) and common/, nothing of main/, test/ or the preload bridge.',
      from: { path: '^renderer/' },
      to: { path: '^(main|test|assets)/|^preload/(?!contract)' },
    },
    {
      name: 'renderer-no-node-or-engines',
      severity: 'error',
      comment: 'No Node built-ins, Electron, SQLite, TensorFlow.js or native addons in the renderer.',
      from: { path: '^renderer/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'renderer-no-native-packages',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: `(^|node_modules/)(${NATIVE_OR_ENGINE.slice(1, -1)})(/|$)` },
    },
    {
      name: 'common-is-pure',
      severity: 'error',
      comment:
        'common/ runs anywhere (renderer, contract, main, trainer): no Node built-ins, Electron, SQLite, TensorFlow.js, native addons, and nothing of the other folders.',
      from: { path: '^common/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'common-no-native-packages',
      severity: 'error',
      from: { path: '^common/' },
      to: { path: `(^|node_modules/)(${NATIVE_OR_ENGINE.slice(1, -1)})(/|$)` },
    },
    {
      name: 'common-imports-only-common',
      severity: 'error',
      from: { path: '^common/' },
      to: { path: '^(main|preload|renderer|test|assets)/' },
    },
    {
      name: 'contract-imports-only-contract-and-common',
      severity: 'error',
      comment: 'The contract is what main and the renderer agree on: its types come from common/.',
      from: { path: '^preload/contract' },
      to: { path: '^(main|renderer|test)/|^preload/(?!contract)' },
    },
    {
      name: 'contract-is-pure',
      severity: 'error',
      comment: 'The sandboxed preload bundles the contract: types and name lists only, no Node built-ins or packages.',
      from: { path: '^preload/contract' },
      to: { dependencyTypesNot: ['local', 'type-only'] },
    },
    {
      name: 'core-no-electron',
      severity: 'error',
      comment: 'main/core is plain Node: the CLI, the browser host and the tests run it without Electron.',
      from: { path: '^main/(core|trainer|cli|server)/' },
      to: { path: '(^|node_modules/)electron(/|$)' },
    },
    {
      name: 'tensorflow-only-in-the-trainer',
      severity: 'error',
      comment: 'TensorFlow.js trains in the trainer process (and its engines); nothing else loads it.',
      from: { path: '^(main|common|preload|renderer)/', pathNot: '^main/trainer/' },
      to: { path: '(^|node_modules/)@tensorflow/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(out|node_modules|release|dist)/' },
    // Type-only imports are dependencies too: a cycle through `import type` is still a cycle.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.node.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.svelte.ts', '.svelte', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
    },
    moduleSystems: ['es6', 'cjs'],
    skipAnalysisNotInRules: true,
  },
};

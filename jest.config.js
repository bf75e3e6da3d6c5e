// Nest 12 ships ES modules; the app is CommonJS (Node 20 loads ESM through require()), but Jest's module
// loader cannot until Node 24.9, so SWC compiles our TypeScript and those packages to CommonJS for tests.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];
const fs = require('node:fs');
const path = require('node:path');

/** Installed packages that are ES modules ("type": "module"), scoped ones included. */
function esmPackages(dir = path.join(__dirname, 'node_modules')) {
  const names = [];
  for (const entry of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    if (entry.startsWith('@')) {
      names.push(...esmPackages(path.join(dir, entry)).map((name) => `${entry}/${name}`));
      continue;
    }
    try {
      if (JSON.parse(fs.readFileSync(path.join(dir, entry, 'package.json'), 'utf8')).type === 'module') names.push(entry);
    } catch {
      /* not a package */
    }
  }
  return names;
}

const base = {
  rootDir: '.',
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages().join('|')})/)`],
};

module.exports = {
  // Real apps, bursts and restarts under a parallel run take longer than Jest's default 5 s. Set here, not per
  // project: jest-circus reads only the global value and ignores a project's testTimeout (jestjs/jest#9696).
  testTimeout: 30_000,
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    { ...base, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
    // Slow: own PostgreSQL / app processes that are stopped and killed on purpose
    { ...base, displayName: 'faults', testMatch: ['<rootDir>/test/faults/**/*.fault-spec.ts'] },
  ],
};

#!/usr/bin/env node
// The `habr-k8s` command. Installed, it runs the compiled build/lib/cli/main.js. In a checkout
// (lib/cli/main.ts is there; the package ships no .ts), it runs the sources, so that the repo's
// npm scripts need no `npm run build`: esbuild strips the types of the runner, lib/cli/run-ts.ts
// (a file that imports no other), and the runner bundles main.ts, cached.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const sources = path.join(root, 'lib', 'cli');

/** The runner of lib/cli/run-ts.ts: compiled from its source in a checkout, else the build's. */
function loadRunner() {
  const source = path.join(sources, 'run-ts.ts');
  if (!fs.existsSync(source)) return require(path.join(root, 'build', 'lib', 'cli', 'run-ts.js'));
  const { transformSync } = require('esbuild');
  const runner = new module.constructor(source, module);
  runner.filename = source;
  runner.paths = module.paths;
  runner._compile(transformSync(fs.readFileSync(source, 'utf8'), { loader: 'ts', format: 'cjs', target: 'node18' }).code, source);
  return runner.exports;
}

async function loadMain() {
  const source = path.join(sources, 'main.ts');
  if (!fs.existsSync(source)) return require(path.join(root, 'build', 'lib', 'cli', 'main.js'));
  return loadRunner().loadEntry(source);
}

if (require.main === module) {
  loadMain().then((cli) => cli.main(process.argv.slice(2)), (error) => {
    console.error(`habr-k8s: ${error.message}`);
    process.exitCode = 1;
  });
}

module.exports = { loadRunner };

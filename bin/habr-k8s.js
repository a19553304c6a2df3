#!/usr/bin/env node
// The `habr-k8s` command. Installed, it runs the compiled build/lib/cli/main.js (validate-main.js
// for `habr-k8s validate`: see entryName), bundled by the runner (build/lib/cli/run-ts.js) and kept
// with V8's code cache in node_modules/.cache/habr-k8s when that folder is writable. In a checkout
// (lib/cli/main.ts is there; the package ships no .ts), it runs the sources, so that the repo's
// npm scripts need no `npm run build`: esbuild strips the types of the runner, lib/cli/run-ts.ts
// (a file that imports no other), and the runner bundles main.ts, cached.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const sources = path.join(root, 'lib', 'cli');

/**
 * The runner of lib/cli/run-ts.ts: the build's when installed; in a checkout compiled from its
 * source by esbuild, and kept in the runner's cache folder under the hash of the source and of
 * esbuild's version, so that a warm run starts no esbuild process at all. The entry starts with the
 * hash of its code, as the runner's own entries do, and a damaged one is compiled again.
 */
function loadRunner() {
  const source = path.join(sources, 'run-ts.ts');
  if (!fs.existsSync(source)) return require(path.join(root, 'build', 'lib', 'cli', 'run-ts.js'));
  const crypto = require('crypto');
  const sha256 = (text) => crypto.createHash('sha256').update(text).digest('hex');
  const text = fs.readFileSync(source, 'utf8');
  const { version } = JSON.parse(fs.readFileSync(require.resolve('esbuild/package.json'), 'utf8'));
  const cacheDir = process.env.TS_RUN_CACHE_DIR || path.join(root, 'node_modules', '.cache', 'habr-k8s');
  const cached = path.join(cacheDir, `run-ts-${sha256(`${version}\0${text}`)}.js`);
  let code;
  try {
    const entry = fs.readFileSync(cached, 'utf8');
    if (entry.slice(0, 64) === sha256(entry.slice(65))) code = entry.slice(65);
  } catch {
    // Not compiled yet.
  }
  if (code === undefined) {
    code = require('esbuild').transformSync(text, { loader: 'ts', format: 'cjs', target: 'node18' }).code;
    try {
      fs.mkdirSync(cacheDir, { recursive: true });
      const temporary = `${cached}.${process.pid}.tmp`;
      fs.writeFileSync(temporary, `${sha256(code)}\n${code}`);
      fs.renameSync(temporary, cached);
    } catch {
      // A read-only cache only costs the next run a compile.
    }
  }
  const runner = new module.constructor(source, module);
  runner.filename = source;
  runner.paths = module.paths;
  runner._compile(code, source);
  return runner.exports;
}

/** The code cache of a run: its command's first word (`validate`), or `other` (`--help`, a typo). */
function codeCacheName(firstArgument) {
  return /^[a-z][a-z-]{0,31}$/.test(firstArgument || '') ? firstArgument : 'other';
}

/**
 * The commands with an entry of their own (lib/cli/<command>-main.ts), which runs that command
 * alone and loads less at start than the entry of every command (lib/cli/main.ts).
 */
const OWN_ENTRIES = new Set(['validate']);

/** The entry module (without extension) that runs the command line `args`. */
function entryName(args) {
  return OWN_ENTRIES.has(args[0]) ? `${args[0]}-main` : 'main';
}

async function loadMain() {
  const name = entryName(process.argv.slice(2));
  const source = path.join(sources, `${name}.ts`);
  const entry = fs.existsSync(source) ? source : path.join(root, 'build', 'lib', 'cli', `${name}.js`);
  // The command names the code cache: each command compiles other functions of the bundle.
  return loadRunner().loadEntry(entry, codeCacheName(process.argv[2]));
}

if (require.main === module) {
  loadMain().then((cli) => cli.main(process.argv.slice(2)), (error) => {
    console.error(`habr-k8s: ${error.message}`);
    process.exitCode = 1;
  });
}

module.exports = { loadRunner, entryName };

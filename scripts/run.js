#!/usr/bin/env node
// Runs a TypeScript entry point without a type check. esbuild bundles the entry with the project
// files it imports (packages stay in node_modules), so Node compiles one file instead of loading
// each module on its own, which was about as slow as loading cdk8s and cdk8s-plus-27 together.
// The bundle is cached in node_modules/.cache/ts-run (or TS_RUN_CACHE_DIR), keyed by esbuild's
// version, the options and the entry's path; it lists every input file with the hash of its source
// and is rebuilt when one of them changed. Each module keeps its own __dirname and __filename;
// JSON files stay separate files, read when required. A .ts file required at run time from
// outside the bundle has its types stripped on its own, cached the same way. Each entry starts
// with a hash of its contents and is checked when read: a truncated or edited entry is discarded
// and rebuilt.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const CACHE_DIR = process.env.TS_RUN_CACHE_DIR || path.join(__dirname, '..', 'node_modules', '.cache', 'ts-run');
/** Entries being written, named `<key>.<pid>.tmp`; those of dead processes are swept at start. */
const TEMPORARY_DIR = path.join(CACHE_DIR, 'tmp');
const CACHE_VERSION = '3';
const TRANSFORM_OPTIONS = { loader: 'ts', format: 'cjs', target: 'node18', sourcemap: 'inline' };
// The bundle carries a source map only for DEBUG runs, the ones that print stack traces: it would triple its size.
const BUNDLE_OPTIONS = { bundle: true, packages: 'external', platform: 'node', format: 'cjs', target: 'node18', sourcemap: process.env.DEBUG ? 'inline' : false };
let esbuild;
let cacheSalt;

function sha256(text) {
  return crypto.createHash('sha256').update(text).digest('hex');
}

/** What besides a file's name and source decides its JavaScript; esbuild's version is read without loading esbuild. */
function salt() {
  if (cacheSalt === undefined) {
    const { version } = JSON.parse(fs.readFileSync(require.resolve('esbuild/package.json'), 'utf8'));
    cacheSalt = `${CACHE_VERSION}\0esbuild ${version}\0${JSON.stringify(TRANSFORM_OPTIONS)}\0${JSON.stringify(BUNDLE_OPTIONS)}`;
  }
  return cacheSalt;
}

function compile(source, filename) {
  esbuild = esbuild || require('esbuild');
  return esbuild.transformSync(source, { ...TRANSFORM_OPTIONS, sourcefile: filename }).code;
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

function sweepDeadTemporaries() {
  let names;
  try {
    names = fs.readdirSync(TEMPORARY_DIR);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(name.split('.')[1]);
    if (pid !== process.pid && !isAlive(pid)) fs.rmSync(path.join(TEMPORARY_DIR, name), { force: true });
  }
}

/** The code of a cache entry, or undefined when it is missing or does not match the hash it starts with. */
function readEntry(file) {
  let entry;
  try {
    entry = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const newline = entry.indexOf('\n');
  const code = entry.slice(newline + 1);
  if (newline === 64 && entry.slice(0, 64) === sha256(code)) return code;
  try {
    fs.rmSync(file, { force: true });
  } catch {
    // A cache folder this user cannot write to: the entry is ignored, and replaced by whoever can.
  }
  return undefined;
}

function writeEntry(file, key, code) {
  try {
    fs.mkdirSync(TEMPORARY_DIR, { recursive: true });
    const temporary = path.join(TEMPORARY_DIR, `${key}.${process.pid}.tmp`);
    fs.writeFileSync(temporary, `${sha256(code)}\n${code}`);
    fs.renameSync(temporary, file);
  } catch {
    // A read-only or full disk only costs the next run a recompile.
  }
}

function cachedCompile(source, filename) {
  const key = sha256(`${salt()}\0${filename}\0${source}`);
  const file = path.join(CACHE_DIR, `${key}.js`);
  const cached = readEntry(file);
  if (cached !== undefined) return cached;
  const code = compile(source, filename);
  writeEntry(file, key, code);
  return code;
}

require.extensions['.ts'] = function loadTs(module, filename) {
  module._compile(cachedCompile(fs.readFileSync(filename, 'utf8'), filename), filename);
};

/** Whether every input of a bundle still has the source it was built from. */
function inputsUnchanged(inputs) {
  return inputs.every(([file, hash]) => {
    try {
      return sha256(fs.readFileSync(file, 'utf8')) === hash;
    } catch {
      return false;
    }
  });
}

/** The code of a cached bundle, or undefined when it is missing, damaged or older than a source. */
function cachedBundle(file) {
  const entry = readEntry(file);
  if (entry === undefined) return undefined;
  const newline = entry.indexOf('\n');
  let inputs;
  try {
    inputs = JSON.parse(entry.slice(0, newline));
  } catch {
    return undefined;
  }
  return Array.isArray(inputs) && inputsUnchanged(inputs) ? entry.slice(newline + 1) : undefined;
}

/** Gives every bundled module the __dirname and __filename of its own file, and leaves JSON files to be read at run time. */
const modulePathsPlugin = {
  name: 'module-paths',
  setup(build) {
    build.onResolve({ filter: /\.json$/ }, (args) => {
      if (args.kind !== 'require-call' && args.kind !== 'import-statement') return undefined;
      if (!args.path.startsWith('.') && !path.isAbsolute(args.path)) return undefined;
      return { path: path.resolve(args.resolveDir, args.path), external: true };
    });
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      const source = fs.readFileSync(args.path, 'utf8');
      if (!/\b__(dirname|filename)\b/.test(source)) return { contents: source, loader: 'ts' };
      // On the first line, so that line numbers stay those of the source; a hashbang there becomes a comment after them.
      const paths = `var __dirname = ${JSON.stringify(path.dirname(args.path))}, __filename = ${JSON.stringify(args.path)}; `;
      return { contents: paths + (source.startsWith('#!') ? `//${source}` : source), loader: 'ts' };
    });
  },
};

async function buildBundle(entry) {
  esbuild = esbuild || require('esbuild');
  const result = await esbuild.build({
    ...BUNDLE_OPTIONS,
    entryPoints: [entry],
    absWorkingDir: path.dirname(entry),
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [modulePathsPlugin],
  });
  const inputs = Object.keys(result.metafile.inputs).map((input) => {
    const file = path.resolve(path.dirname(entry), input);
    return [file, sha256(fs.readFileSync(file, 'utf8'))];
  });
  return { inputs, code: result.outputFiles[0].text };
}

/** The bundle of `entry`: the cached one when its sources are unchanged (synchronously), else built and cached. */
function withBundle(entry, run) {
  const key = sha256(`${salt()}\0bundle\0${entry}`);
  const file = path.join(CACHE_DIR, `${key}.js`);
  const cached = cachedBundle(file);
  if (cached !== undefined) return run(cached);
  buildBundle(entry).then(({ inputs, code }) => {
    writeEntry(file, key, `${JSON.stringify(inputs)}\n${code}`);
    // Outside the promise, so that what the entry throws is an uncaught exception as usual.
    process.nextTick(run, code);
  }, (error) => {
    console.error(error.message); // esbuild's messages name the file and line
    process.exit(1);
  });
}

/** Runs the bundle as the entry module itself: `require` and `module` are the entry's. */
function runAsMain(entry, code) {
  const Module = require('module');
  const main = new Module(entry, null);
  main.filename = entry;
  main.paths = Module._nodeModulePaths(path.dirname(entry));
  require.cache[entry] = main;
  process.mainModule = main;
  main._compile(code, entry);
  main.loaded = true;
}

const [entryArgument, ...args] = process.argv.slice(2);
if (!entryArgument) {
  console.error('usage: node scripts/run.js <entry.ts> [args...]');
  process.exit(2);
}
// Stack traces point at the TypeScript lines (from the inline source maps) when asked for with DEBUG.
if (process.env.DEBUG) process.setSourceMapsEnabled(true);
sweepDeadTemporaries();
const entry = path.resolve(entryArgument);
process.argv = [process.argv[0], entry, ...args];
if (entry.endsWith('.ts')) withBundle(entry, (code) => runAsMain(entry, code));
else require(entry);

#!/usr/bin/env node
// Runs a TypeScript entry point without a type check: esbuild strips the types of each file as
// Node loads it (type checking belongs to `npm test` and `npm run build`). The JavaScript is
// cached in node_modules/.cache/ts-run (or TS_RUN_CACHE_DIR), keyed by esbuild's version, the
// transform options, the file name and its source, so an unchanged file costs one hash and one
// read, and esbuild is loaded only when something changed. Each entry starts with a hash of its
// code and is checked when read: a truncated or edited entry is discarded and rebuilt.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const CACHE_DIR = process.env.TS_RUN_CACHE_DIR || path.join(__dirname, '..', 'node_modules', '.cache', 'ts-run');
/** Entries being written, named `<key>.<pid>.tmp`; those of dead processes are swept at start. */
const TEMPORARY_DIR = path.join(CACHE_DIR, 'tmp');
const CACHE_VERSION = '2';
const TRANSFORM_OPTIONS = { loader: 'ts', format: 'cjs', target: 'node18', sourcemap: 'inline' };
let esbuild;
let cacheSalt;

function sha256(text) {
  return crypto.createHash('sha256').update(text).digest('hex');
}

/** What besides a file's name and source decides its JavaScript; esbuild's version is read without loading esbuild. */
function salt() {
  if (cacheSalt === undefined) {
    const { version } = JSON.parse(fs.readFileSync(require.resolve('esbuild/package.json'), 'utf8'));
    cacheSalt = `${CACHE_VERSION}\0esbuild ${version}\0${JSON.stringify(TRANSFORM_OPTIONS)}`;
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
  fs.rmSync(file, { force: true });
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

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/run.js <entry.ts> [args...]');
  process.exit(2);
}
// Stack traces point at the TypeScript lines (from the inline source maps) when asked for with DEBUG.
if (process.env.DEBUG) process.setSourceMapsEnabled(true);
sweepDeadTemporaries();
process.argv = [process.argv[0], path.resolve(entry), ...args];
require(path.resolve(entry));

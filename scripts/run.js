#!/usr/bin/env node
// Runs a TypeScript entry point without a type check: esbuild strips the types of each file as
// Node loads it (type checking belongs to `npm test` and `npm run build`). The JavaScript is
// cached by content hash in node_modules/.cache/ts-run, so an unchanged file costs one hash and
// one read, and esbuild is loaded only when something changed.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const CACHE_DIR = path.join(__dirname, '..', 'node_modules', '.cache', 'ts-run');
const CACHE_VERSION = '1';
let esbuild;

function compile(source, filename) {
  esbuild = esbuild || require('esbuild');
  return esbuild.transformSync(source, {
    loader: 'ts',
    format: 'cjs',
    target: 'node18',
    sourcefile: filename,
    sourcemap: 'inline',
  }).code;
}

function cachedCompile(source, filename) {
  const key = crypto.createHash('sha1').update(`${CACHE_VERSION}\0${filename}\0${source}`).digest('hex');
  const cached = path.join(CACHE_DIR, `${key}.js`);
  try {
    return fs.readFileSync(cached, 'utf8');
  } catch {
    const code = compile(source, filename);
    try {
      fs.mkdirSync(CACHE_DIR, { recursive: true });
      const temporary = `${cached}.${process.pid}.tmp`;
      fs.writeFileSync(temporary, code);
      fs.renameSync(temporary, cached);
    } catch {
      // A read-only or full disk only costs the next run a recompile.
    }
    return code;
  }
}

require.extensions['.ts'] = function loadTs(module, filename) {
  module._compile(cachedCompile(fs.readFileSync(filename, 'utf8'), filename), filename);
};

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/run.js <entry.ts> [args...]');
  process.exit(2);
}
process.argv = [process.argv[0], path.resolve(entry), ...args];
require(path.resolve(entry));

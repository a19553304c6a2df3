#!/usr/bin/env node
// Runs a TypeScript entry point without a type check: esbuild strips the types of each
// file as Node loads it. Type checking belongs to `npm test` and `npm run build`.
'use strict';
const fs = require('fs');
const path = require('path');
const { transformSync } = require('esbuild');

require.extensions['.ts'] = function compileTs(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const { code } = transformSync(source, {
    loader: 'ts',
    format: 'cjs',
    target: 'node18',
    sourcefile: filename,
    sourcemap: 'inline',
  });
  module._compile(code, filename);
};

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/run.js <entry.ts> [args...]');
  process.exit(2);
}
process.argv = [process.argv[0], path.resolve(entry), ...args];
require(path.resolve(entry));

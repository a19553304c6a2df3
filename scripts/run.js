#!/usr/bin/env node
// `node scripts/run.js <entry.ts> [args...]`: runs a TypeScript entry of this repository (tests,
// bench, tools) as `node` runs JavaScript, through the bin's runner (lib/cli/run-ts.ts).
'use strict';
const { loadRunner } = require('../bin/habr-k8s.js');

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/run.js <entry.ts> [args...]');
  process.exit(2);
}
loadRunner().runMain(entry, args);

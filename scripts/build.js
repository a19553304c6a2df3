#!/usr/bin/env node
// `npm run build`: compiles lib/ to build/lib (and the imports/ it uses to build/imports; JavaScript
// and .d.ts) and copies the generated
// schema JSON the validation loads at run time, which tsc does not copy.
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const out = path.join(root, 'build', 'lib');
fs.rmSync(out, { recursive: true, force: true });
// lib/ imports the generated L1 classes of imports/, which tsc compiles to build/imports.
fs.rmSync(path.join(root, 'build', 'imports'), { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
for (const schemas of [path.join('manifest', 'api'), path.join('validation', 'schema')]) {
  for (const file of fs.readdirSync(path.join(root, 'lib', schemas)).filter((f) => f.endsWith('.json'))) {
    fs.copyFileSync(path.join(root, 'lib', schemas, file), path.join(out, schemas, file));
  }
}

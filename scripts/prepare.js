#!/usr/bin/env node
// `npm run prepare`, which npm runs after `npm install` / `npm ci` in this checkout and, when a
// project installs the package from git (`npm install git+https://…`), in the clone before packing
// it: only then is `build/` needed (it is not committed), so only then does it build. npm starts
// both from the folder the user ran it in (INIT_CWD): this checkout for its own install, the
// consumer's project for a git dependency.
'use strict';
const path = require('path');

const root = path.join(__dirname, '..');
if (path.resolve(process.env.INIT_CWD || root) !== path.resolve(root)) require('./build.js');

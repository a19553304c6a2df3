import * as fs from 'fs';
import * as path from 'path';

/**
 * Writes a `node -r` hook into `dir` that prints `loaded <request>` on stderr for every module
 * request matching `pattern`: which packages a command loads, as the bin runs. Returns its path.
 */
export function writeLoadHook(dir: string, pattern: RegExp): string {
  const hook = path.join(dir, 'load-hook.js');
  fs.writeFileSync(hook, [
    "const Module = require('module');",
    'const load = Module._load;',
    `Module._load = function (request, ...rest) { if (${pattern.toString()}.test(request)) process.stderr.write(\`loaded \${request}\\n\`); return load.call(this, request, ...rest); };`,
  ].join('\n'));
  return hook;
}

/**
 * scripts/run.js: the entry bundled with the project files it imports, cached; a bad entry is
 * rebuilt silently, a changed import rebuilds it (an unchanged one is known by its size, times and
 * inode without being read), a dead writer's temporary file is swept.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const RUN = path.resolve(__dirname, '../../scripts/run.js');

function setUp() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-run-'));
  const cacheDir = path.join(dir, 'cache');
  const source = path.join(dir, 'replicas.ts');
  fs.writeFileSync(source, 'const replicas: number = 2;\nconsole.log(`replicas: ${replicas}`);\n');
  const run = () => spawnSync(process.execPath, [RUN, source], { encoding: 'utf8', env: { ...process.env, TS_RUN_CACHE_DIR: cacheDir } });
  const entries = () => fs.readdirSync(cacheDir).filter((name) => name.endsWith('.js')).map((name) => path.join(cacheDir, name));
  return { cacheDir, run, entries };
}

test('a fresh entry is used as it is', () => {
  const { run, entries } = setUp();
  expect(run().stdout).toBe('replicas: 2\n');
  const [entry] = entries();
  const written = fs.readFileSync(entry, 'utf8');
  expect(run().stdout).toBe('replicas: 2\n');
  expect(fs.readFileSync(entry, 'utf8')).toBe(written);
});

test.each([
  ['truncated', (entry: string) => entry.slice(0, entry.length / 2)],
  ['garbage', () => '\u0000\u00ff garbage'],
  ['empty', () => ''],
  ['edited (valid JavaScript, not what its source compiles to)', (entry: string) => entry.replace('replicas = 2', 'replicas = 7')],
])('an entry that is %s is discarded and rebuilt silently', (_name, corrupt) => {
  const { run, entries } = setUp();
  run();
  const [entry] = entries();
  const good = fs.readFileSync(entry, 'utf8');
  fs.writeFileSync(entry, corrupt(good));
  expect(fs.readFileSync(entry, 'utf8')).not.toBe(good);

  const result = run();

  expect(result).toMatchObject({ status: 0, stdout: 'replicas: 2\n', stderr: '' });
  expect(fs.readFileSync(entry, 'utf8')).toBe(good);
});

test('a temporary entry left by a killed process is swept; a live process keeps its own', () => {
  const { cacheDir, run } = setUp();
  const dead = Number(spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' }).stdout);
  fs.mkdirSync(path.join(cacheDir, 'tmp'), { recursive: true });
  fs.writeFileSync(path.join(cacheDir, 'tmp', `abc.${dead}.tmp`), 'half an entry');
  fs.writeFileSync(path.join(cacheDir, 'tmp', `def.${process.pid}.tmp`), 'being written');

  expect(run().stdout).toBe('replicas: 2\n');
  expect(fs.readdirSync(path.join(cacheDir, 'tmp'))).toEqual([`def.${process.pid}.tmp`]);
});

/** An entry importing a module of another folder, which reads its own __dirname and a JSON file beside it. */
function setUpImports() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-run-'));
  const cacheDir = path.join(dir, 'cache');
  fs.mkdirSync(path.join(dir, 'lib'));
  const entry = path.join(dir, 'main.ts');
  const module = path.join(dir, 'lib', 'where.ts');
  const json = path.join(dir, 'lib', 'settings.json');
  fs.writeFileSync(entry, "import { where, replicas } from './lib/where';\nconsole.log(`${where()} ${replicas()} ${__filename}`);\n");
  fs.writeFileSync(module, "import * as path from 'path';\nexport const where = (): string => path.basename(__dirname) + '/' + path.basename(__filename);\nexport const replicas = (): number => require('./settings.json').replicas;\n");
  fs.writeFileSync(json, '{ "replicas": 2 }');
  const run = (...args: string[]) => spawnSync(process.execPath, [RUN, entry, ...args], { encoding: 'utf8', env: { ...process.env, TS_RUN_CACHE_DIR: cacheDir } });
  return { entry, module, json, run };
}

test('every bundled module keeps its own __dirname and __filename, and JSON is read when required', () => {
  const { entry, json, run } = setUpImports();
  expect(run()).toMatchObject({ status: 0, stdout: `lib/where.ts 2 ${entry}\n` });
  fs.writeFileSync(json, '{ "replicas": 3 }');
  expect(run().stdout).toBe(`lib/where.ts 3 ${entry}\n`);
});

test('a change to an imported file is picked up by the next run', () => {
  const { entry, module, run } = setUpImports();
  run();
  fs.writeFileSync(module, fs.readFileSync(module, 'utf8').replace("path.basename(__dirname) + '/' + path.basename(__filename)", "'moved'"));
  expect(run()).toMatchObject({ status: 0, stdout: `moved 2 ${entry}\n` });
});

test('an edit that keeps the size and sets the modification time back is still picked up', () => {
  const { entry, module, run } = setUpImports();
  // A whole second, which utimes sets exactly.
  const earlier = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
  fs.utimesSync(module, earlier, earlier);
  run();
  // The same length, another source, the same modification time: only the change time, which cannot be set back, tells.
  fs.writeFileSync(module, fs.readFileSync(module, 'utf8').replace("+ '/' +", "+ ':' +"));
  fs.utimesSync(module, earlier, earlier);
  expect(fs.statSync(module).mtimeMs).toBe(earlier.getTime());
  expect(run()).toMatchObject({ status: 0, stdout: `lib:where.ts 2 ${entry}\n` });
});

test('an import written again with the same source keeps the bundle and is not read again', () => {
  const { entry, module, run } = setUpImports();
  const cacheDir = path.join(path.dirname(entry), 'cache');
  run();
  const bundleEntry = () => fs.readdirSync(cacheDir).filter((name) => name.endsWith('.js')).map((name) => fs.readFileSync(path.join(cacheDir, name), 'utf8'))
    .find((text) => text.includes('where.ts'))!;
  const recorded = (text: string) => (JSON.parse(text.split('\n')[1]) as string[][]).find(([file]) => file === module)!;
  const code = (text: string) => text.split('\n').slice(2).join('\n');
  const before = bundleEntry();
  fs.writeFileSync(module, fs.readFileSync(module, 'utf8'));
  fs.utimesSync(module, new Date(), new Date(Date.now() + 5000));

  expect(run()).toMatchObject({ status: 0, stdout: `lib/where.ts 2 ${entry}\n` });
  const after = bundleEntry();
  expect(code(after)).toBe(code(before));
  expect(recorded(after)[1]).toBe(recorded(before)[1]);
  // The file's new size, times and inode are recorded, so the next run takes it as unchanged without reading it.
  const stat = fs.statSync(module);
  expect(recorded(after)[2]).toBe(`${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}:${stat.ino}`);
  expect(recorded(after)[2]).not.toBe(recorded(before)[2]);
});

test('what the entry throws is an uncaught exception, on a cache miss as on a hit', () => {
  const { entry, run } = setUpImports();
  fs.writeFileSync(entry, "process.on('exit', (code) => console.log(`exit ${code}`));\nthrow new Error('no replicas');\n");
  for (const result of [run(), run()]) {
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('exit 1\n');
    expect(result.stderr).toContain('Error: no replicas');
  }
});

test('a syntax error names the file and stops with status 1', () => {
  const { module, run } = setUpImports();
  fs.writeFileSync(module, 'export const where = (: string => 1;\n');
  const result = run();
  expect(result.status).toBe(1);
  expect(result.stderr).toContain('where.ts');
  expect(result.stdout).toBe('');
});

test('arguments after the entry reach it as process.argv', () => {
  const { entry, run } = setUpImports();
  fs.writeFileSync(entry, 'console.log(JSON.stringify(process.argv.slice(1)));\n');
  expect(JSON.parse(run('--stage', 'prod').stdout)).toEqual([entry, '--stage', 'prod']);
});

test('a .ts file required at run time, outside the bundle, is still loaded', () => {
  const { entry, run } = setUpImports();
  // module.require is left alone by the bundler: the file is loaded when the entry runs.
  fs.writeFileSync(entry, "import * as path from 'path';\nconsole.log(module.require(path.join(__dirname, 'lib', 'where.ts')).where());\n");
  expect(run()).toMatchObject({ status: 0, stdout: 'lib/where.ts\n' });
});

test('an entry with a hashbang line that reads __filename builds and runs as the main module', () => {
  const { entry, run } = setUpImports();
  fs.writeFileSync(entry, "#!/usr/bin/env node\nimport * as path from 'path';\nconsole.log(require.main === module, path.basename(__filename));\n");
  for (const result of [run(), run()]) expect(result).toMatchObject({ status: 0, stdout: 'true main.ts\n', stderr: '' });
});

describe("V8's code cache of a bundle (loadEntry with a code cache name, as the bin loads its commands)", () => {
  const BIN = path.resolve(__dirname, '../../bin/habr-k8s.js');

  function setUpCodeCache() {
    const { entry, json } = setUpImports();
    const cacheDir = path.join(path.dirname(entry), 'cache');
    fs.writeFileSync(entry, "import { where, replicas } from './lib/where';\nexport const answer = `${where()} ${replicas()}`;\n");
    const load = (name: string) => spawnSync(process.execPath, ['-e', `require(${JSON.stringify(BIN)}).loadRunner().loadEntry(${JSON.stringify(entry)}, ${JSON.stringify(name)}).then((m) => console.log(m.answer))`], {
      encoding: 'utf8', env: { ...process.env, TS_RUN_CACHE_DIR: cacheDir },
    });
    const codeCaches = () => fs.readdirSync(cacheDir).filter((file) => file.endsWith('.v8')).map((file) => path.join(cacheDir, file));
    return { json, load, codeCaches };
  }

  test('is written by a run that found none, one per name, and then used as it is', () => {
    const { load, codeCaches } = setUpCodeCache();
    expect(load('validate')).toMatchObject({ status: 0, stdout: 'lib/where.ts 2\n', stderr: '' });
    // The first run built the bundle; the code cache names a bundle read from the cache.
    expect(codeCaches()).toEqual([]);
    expect(load('validate')).toMatchObject({ status: 0, stdout: 'lib/where.ts 2\n' });
    const [written] = codeCaches();
    const data = fs.readFileSync(written);
    expect(load('validate')).toMatchObject({ status: 0, stdout: 'lib/where.ts 2\n', stderr: '' });
    expect(fs.readFileSync(written)).toEqual(data);
    expect(codeCaches()).toEqual([written]);
    load('synth');
    expect(codeCaches()).toHaveLength(2);
  });

  test.each([
    ['truncated', (data: Buffer) => data.subarray(0, data.length / 2)],
    ['one byte of the compiled code changed', (data: Buffer) => Buffer.concat([data.subarray(0, data.length - 8), Buffer.from([data[data.length - 8] ^ 0xff]), data.subarray(data.length - 7)])],
    ['made for another bundle', (data: Buffer) => Buffer.concat([Buffer.from('0'.repeat(64)), data.subarray(64)])],
  ])('that is %s is not used, and is written again', (_name, damage) => {
    const { load, codeCaches } = setUpCodeCache();
    load('validate');
    load('validate');
    const [written] = codeCaches();
    const good = fs.readFileSync(written);
    const damaged = damage(good);
    fs.writeFileSync(written, damaged);
    expect(load('validate')).toMatchObject({ status: 0, stdout: 'lib/where.ts 2\n', stderr: '' });
    // V8 compiles the same code to other bytes from run to run: the new cache is the one the next run keeps.
    const rewritten = fs.readFileSync(written);
    expect(rewritten.subarray(0, 64)).toEqual(good.subarray(0, 64));
    expect(rewritten).not.toEqual(damaged);
    load('validate');
    expect(fs.readFileSync(written)).toEqual(rewritten);
  });

  test('does not stand for the bundle: a change to an imported JSON file or module is still picked up', () => {
    const { json, load } = setUpCodeCache();
    load('validate');
    load('validate');
    fs.writeFileSync(json, '{ "replicas": 3 }');
    expect(load('validate').stdout).toBe('lib/where.ts 3\n');
  });
});

describe('a JavaScript entry with a code cache name (the installed bin runs its compiled commands so)', () => {
  const BIN = path.resolve(__dirname, '../../bin/habr-k8s.js');

  /** CommonJS as tsc writes it: an entry, a module of another folder reading its own __dirname, and a JSON file beside it. */
  function setUpCompiled(cacheDir?: string) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-run-js-'));
    fs.mkdirSync(path.join(dir, 'lib'));
    const entry = path.join(dir, 'main.js');
    fs.writeFileSync(entry, '"use strict";\nconst where_1 = require("./lib/where");\nexports.answer = `${where_1.where()} ${where_1.replicas()}`;\n');
    fs.writeFileSync(path.join(dir, 'lib', 'where.js'), '"use strict";\nconst path = require("path");\nexports.where = () => path.basename(__dirname) + "/" + path.basename(__filename);\nexports.replicas = () => require("./settings.json").replicas;\n');
    fs.writeFileSync(path.join(dir, 'lib', 'settings.json'), '{ "replicas": 2 }');
    const cache = cacheDir ?? path.join(dir, 'cache');
    const load = () => spawnSync(process.execPath, ['-e', `require(${JSON.stringify(BIN)}).loadRunner().loadEntry(${JSON.stringify(entry)}, 'validate').then((m) => console.log(m.answer))`], {
      encoding: 'utf8', env: { ...process.env, TS_RUN_CACHE_DIR: cache },
    });
    return { dir, cache, load };
  }

  test('is bundled and its compiled code kept, each module with its own __dirname', () => {
    const { cache, load } = setUpCompiled();
    for (let run = 0; run < 3; run++) expect(load()).toMatchObject({ status: 0, stdout: 'lib/where.js 2\n', stderr: '' });
    // Besides the runner the bin compiled in this checkout: the bundle, and V8's code of it.
    const kept = fs.readdirSync(cache).filter((name) => !name.startsWith('run-ts-'));
    expect(kept.filter((name) => name.endsWith('.js'))).toHaveLength(1);
    expect(kept.filter((name) => name.endsWith('.v8'))).toHaveLength(1);
  });

  test('is run as it is where the cache folder cannot be written, which would bundle it again at every run', () => {
    const blocked = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-run-blocked-'));
    fs.writeFileSync(path.join(blocked, 'file'), '');
    // Under a file: no folder can be made there, whoever runs the test.
    const { load } = setUpCompiled(path.join(blocked, 'file', 'cache'));
    expect(load()).toMatchObject({ status: 0, stdout: 'lib/where.js 2\n', stderr: '' });
    expect(fs.readdirSync(blocked)).toEqual(['file']);
  });
});

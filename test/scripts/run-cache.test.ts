/** The type-stripping cache of scripts/run.js: a bad entry is rebuilt silently, a dead writer's temporary file swept. */
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

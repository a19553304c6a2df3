/**
 * The README's quick start is true: its example is the committed examples/shop project, byte for
 * byte, and what it says the bin prints is what the bin prints on that project.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { editOf, markedBlocks, README } from './readme-blocks';

const REPO = path.resolve(__dirname, '..');
const BIN = path.join(REPO, 'bin', 'habr-k8s.js');
const EXAMPLE = path.join(REPO, 'examples', 'shop');

describe('the README embeds the example project verbatim', () => {
  const examples = markedBlocks(README, 'example');

  test('it shows the program and its cdk8s.yaml', () => {
    expect([...examples.keys()]).toEqual(['examples/shop/main.ts', 'examples/shop/cdk8s.yaml']);
  });

  test.each([...examples])('the block marked %s is that file', (file, block) => {
    expect(block).toBe(fs.readFileSync(path.join(REPO, file), 'utf8'));
  });

  test('a block that differs from its file, or a marker without a block, is noticed', () => {
    const markdown = '<!-- example: a.ts -->\n```ts\nconst a = 1;\n```\n\n<!-- example: b.ts -->\nno block\n';
    expect([...markedBlocks(markdown, 'example')]).toEqual([['a.ts', 'const a = 1;\n']]);
    expect(() => markedBlocks(`${markdown}<!-- example: a.ts -->\n\`\`\`\nx\n\`\`\`\n`, 'example')).toThrow('two blocks marked example: a.ts');
  });
});

/**
 * A fresh project as the quick start makes one: the example's files, and in node_modules the peer
 * dependencies and `habr-k8s` (this checkout's lib/, which the bin's runner loads as TypeScript).
 */
function quickStartProject(): string {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-quick-start-'));
  for (const file of fs.readdirSync(EXAMPLE)) fs.copyFileSync(path.join(EXAMPLE, file), path.join(project, file));
  const modules = path.join(project, 'node_modules');
  fs.mkdirSync(path.join(modules, 'habr-k8s'), { recursive: true });
  for (const name of ['cdk8s', 'cdk8s-plus-27', 'constructs']) fs.symlinkSync(path.join(REPO, 'node_modules', name), path.join(modules, name));
  fs.writeFileSync(path.join(modules, 'habr-k8s', 'package.json'), JSON.stringify({ name: 'habr-k8s', main: 'index.js' }));
  fs.writeFileSync(path.join(modules, 'habr-k8s', 'index.js'), `module.exports = require(${JSON.stringify(path.join(REPO, 'lib', 'index.ts'))});\n`);
  return project;
}

/** `npx habr-k8s <args>` in `cwd`: the bin of this checkout. */
function habrK8s(args: readonly string[], cwd: string) {
  const run = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, DEBUG: '', STAGE: '', INIT_CWD: '' } });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('the README shows what the bin prints', () => {
  const outputs = markedBlocks(README, 'output');
  const project = quickStartProject();
  afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

  test('it shows the help, a synth and an error', () => {
    expect([...outputs.keys()].sort()).toEqual(['error', 'help', 'synth']);
  });

  test('npx habr-k8s --help', () => {
    expect(habrK8s(['--help'], project)).toEqual({ status: 0, stdout: outputs.get('help'), stderr: '' });
  });

  test('npx habr-k8s synth on the example writes dist/ and prints each file and a summary', () => {
    fs.rmSync(path.join(project, 'dist'), { recursive: true, force: true });
    expect(habrK8s(['synth'], project)).toEqual({ status: 0, stdout: outputs.get('synth'), stderr: '' });
    const files = outputs.get('synth')!.match(/^dist\/\S+\.yaml/gm)!;
    expect(files.map((file) => fs.existsSync(path.join(project, file)))).toEqual(files.map(() => true));
  });

  test('the edit the README shows makes synth fail with its lines, exit code 1, and nothing written', () => {
    const edits = markedBlocks(README, 'edit');
    expect([...edits.keys()]).toEqual(['examples/shop/main.ts']);
    const { removed, added } = editOf(edits.get('examples/shop/main.ts')!);
    const program = fs.readFileSync(path.join(EXAMPLE, 'main.ts'), 'utf8');
    expect(program.split(removed).length).toBe(2);
    fs.writeFileSync(path.join(project, 'main.ts'), program.replace(removed, added));
    fs.rmSync(path.join(project, 'dist'), { recursive: true, force: true });
    try {
      expect(habrK8s(['synth'], project)).toEqual({ status: 1, stdout: '', stderr: outputs.get('error') });
      expect(fs.existsSync(path.join(project, 'dist'))).toBe(false);
    } finally {
      fs.copyFileSync(path.join(EXAMPLE, 'main.ts'), path.join(project, 'main.ts'));
    }
  });

  test('an edit line that neither removes nor adds is refused', () => {
    expect(editOf('-  a: 1,\n+  a: 2,\n')).toEqual({ removed: '  a: 1,\n', added: '  a: 2,\n' });
    expect(() => editOf('-  a: 1,\n   b: 2,\n')).toThrow('neither remove nor add:    b: 2,');
  });
});

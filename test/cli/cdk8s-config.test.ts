/** parseCdk8sConfig reads `app` and `output` exactly as a YAML parser does, whatever form the file takes. */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { parseCdk8sConfig, readPlainConfig } from '../../lib/cli/cdk8s-config';

const REPO = path.resolve(__dirname, '../..');

/** Expects what the yaml package reads, or the error it throws. */
function expectSameAsYaml(text: string): void {
  let parsed: Record<string, unknown>;
  try {
    parsed = (parse(text) ?? {}) as Record<string, unknown>;
  } catch (error) {
    expect(() => parseCdk8sConfig(text)).toThrow((error as Error).message.split('\n')[0]);
    return;
  }
  expect(parseCdk8sConfig(text)).toEqual(Object.fromEntries(['app', 'output'].filter((key) => parsed[key] !== undefined).map((key) => [key, parsed[key]])));
}

const VALUES = [
  'npx ts-node main.ts', 'node scripts/run.js apps/habr/main.ts', 'dist', 'out/dev', "'quoted: yes'", '"double # quoted"',
  'a #comment', 'a# not a comment', 'url:http://x', 'key: value', 'true', 'null', '~', '123', '1.5', '-1', '.inf', '- item',
  '[a, b]', '{a: 1}', '&anchor value', '*alias', '!tag value', '|', '>', '@reserved', '`reserved', '%percent', 'a:', 'ends with colon:',
  '', '   spaced   ', 'x # comment: with colon', 'ça va', '?question', 'a ? b', 'a , b', 'a]b', 'NaN', '0x1F', '1e3', 'yes', 'on',
];

test.each(VALUES)('app: %s', (value) => {
  expectSameAsYaml(`language: typescript\napp: ${value}\noutput: dist\n`);
});

test.each([
  ['the repo\'s cdk8s.yaml', fs.readFileSync(path.join(REPO, 'cdk8s.yaml'), 'utf8')],
  ['the example\'s cdk8s.yaml', fs.readFileSync(path.join(REPO, 'examples/shop/cdk8s.yaml'), 'utf8')],
  ['a value continued on the next line', 'app: npx ts-node\n  main.ts\noutput: dist\n'],
  ['a value continued after a comment line', 'app: npx ts-node\n# note\n  main.ts\n'],
  ['a block scalar', 'app: |\n  node main.js\noutput: dist\n'],
  ['a flow mapping at the top', '{app: node main.js, output: out}\n'],
  ['a quoted key', '"app": node main.js\n'],
  ['two documents', 'app: node a.js\n---\napp: node b.js\n'],
  ['a document start', '---\napp: node main.js\n'],
  ['tabs', 'app:\tnode main.js\n'],
  ['Windows line ends', 'app: node main.js\r\noutput: dist\r\n'],
  ['a key given twice', 'app: node a.js\napp: node b.js\n'],
  ['a nested app key, which is not the top-level one', 'synth:\n  app: node a.js\napp: node b.js\n'],
  ['a comment line that looks like a key', '#app: node a.js\napp: node b.js\n'],
  ['no app at all', 'language: typescript\n'],
  ['an empty file', ''],
  ['only comments', '# nothing\n'],
])('%s', (_what, text) => {
  expectSameAsYaml(text);
});

test('a file that is no mapping is an error', () => {
  expect(() => parseCdk8sConfig('- app\n- output\n')).toThrow('it is no mapping of keys to values');
});

test('the common forms, the repo\'s and the example\'s, are read without the yaml package; the others are left to it', () => {
  expect(readPlainConfig(fs.readFileSync(path.join(REPO, 'cdk8s.yaml'), 'utf8'))).toEqual({ app: 'node scripts/run.js apps/habr/main.ts', output: 'dist' });
  expect(readPlainConfig(fs.readFileSync(path.join(REPO, 'examples/shop/cdk8s.yaml'), 'utf8'))).toEqual({ app: 'npx ts-node main.ts', output: 'dist' });
  expect(readPlainConfig('app: npx ts-node\n  main.ts\n')).toBeUndefined();
  expect(readPlainConfig("app: 'node main.js'\n")).toBeUndefined();
});

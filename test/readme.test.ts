import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const REPO = path.resolve(__dirname, '..');

/** The README's example of using the constructs from another project, run against this checkout. */
test('the README usage example synthesizes with zero validation findings', () => {
  const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
  const match = /```ts\n(import \{ App, Chart \} from 'cdk8s';[\s\S]*?)```/.exec(readme);
  expect(match).not.toBeNull();
  // Inside the checkout, so the example resolves cdk8s from this node_modules.
  const cacheDir = path.join(REPO, 'node_modules', '.cache');
  fs.mkdirSync(cacheDir, { recursive: true });
  const workDir = fs.mkdtempSync(path.join(cacheDir, 'readme-'));
  const outdir = path.join(workDir, 'dist');
  const program = match![1]
    .replace(`from 'habr-k8s'`, `from ${JSON.stringify(path.join(REPO, 'lib'))}`)
    .replace(`synthesize(app, 'dist');`, `const result = synthesize(app, ${JSON.stringify(outdir)});\nconsole.log(JSON.stringify(result.report.findings));`);
  const file = path.join(workDir, 'example.ts');
  fs.writeFileSync(file, program);
  try {
    const output = execFileSync(process.execPath, [path.join(REPO, 'scripts/run.js'), file], { encoding: 'utf8' });
    expect(JSON.parse(output)).toEqual([]);
    expect(fs.readdirSync(outdir).sort()).toEqual(['.habr-k8s-written', '00-platform.yaml', '01-shop.yaml']);
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
});

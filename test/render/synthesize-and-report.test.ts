/** synthesizeAndReport, the consumer's own entry's way to write: warnings once, errors once, one line for a bad output folder. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { WebApp } from '../../lib';
import { synthesizeAndReport } from '../../lib/render/synthesize-and-report';

function app(props: Record<string, unknown> = {}): App {
  const result = new App();
  new WebApp(new Chart(result, 'web', { namespace: 'shop', disableResourceNameHashes: true }), 'Web', { name: 'web', image: 'nginx:1.27', port: 8080, ...props });
  return result;
}

function captured(body: () => unknown): { value: unknown; out: string; err: string } {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((text: string) => void out.push(text));
  const error = jest.spyOn(console, 'error').mockImplementation((text: string) => void err.push(text));
  try {
    return { value: body(), out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

const folder = () => fs.mkdtempSync(path.join(os.tmpdir(), 'report-'));

test('writes the app and prints each file, every warning once and the summary', () => {
  const outdir = path.join(folder(), 'out');
  const run = captured(() => synthesizeAndReport(app(), outdir, 'shop'));
  expect(run.value).toBeDefined();
  expect(run.err).toBe('');
  expect(run.out.match(/is not created by any Namespace object/g)).toHaveLength(1);
  expect(run.out).toMatch(new RegExp(`^${path.join(outdir, '00-web.yaml')}  3 objects\n`));
  expect(run.out).toMatch(/\nshop: 3 objects in 1 files, 1 warnings$/);
  expect(fs.readdirSync(outdir)).toContain('00-web.yaml');
});

test('on validation errors, every finding once on stderr, nothing written, no stack', () => {
  const outdir = path.join(folder(), 'out');
  const run = captured(() => synthesizeAndReport(app({ secretMounts: [{ secretName: 'db', mountPath: '/etc/db' }] }), outdir, 'shop'));
  expect(run.value).toBeUndefined();
  expect(run.out).toBe('');
  expect(run.err.match(/refers to Secret db/g)).toHaveLength(1);
  expect(run.err).not.toContain('    at ');
  expect(run.err).toMatch(/\nshop: nothing written to .*out$/);
  expect(fs.existsSync(outdir)).toBe(false);
});

test('an output folder that is a file is one line', () => {
  const outdir = path.join(folder(), 'out');
  fs.writeFileSync(outdir, 'a file\n');
  const run = captured(() => synthesizeAndReport(app(), outdir, 'shop'));
  expect(run.value).toBeUndefined();
  expect(run.err).toMatch(/^shop: [^\n]*out is a file, not a folder; move it away so synth can write the manifests there$/);
});

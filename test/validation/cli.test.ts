import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArguments, runValidateCli } from '../../lib/validation/cli';

const ROOT = path.join(__dirname, '../..');
const BROKEN = path.join(__dirname, '../fixtures/broken/mixed');
const VALID = path.join(__dirname, '../fixtures/valid/app');

describe('validate CLI', () => {
  it('parses the folder and repeated or grouped --external objects', () => {
    expect(parseArguments(['dir', '--external', 'Secret/a', 'Secret/shop/b', '--external', 'Namespace/tools'])).toEqual({
      folder: 'dir',
      externalObjects: [{ kind: 'Secret', name: 'a' }, { kind: 'Secret', namespace: 'shop', name: 'b' }, { kind: 'Namespace', name: 'tools' }],
    });
    expect(() => parseArguments([])).toThrow('missing folder');
    expect(() => parseArguments(['dir', '--external', 'Secret'])).toThrow(/expected one folder/);
    expect(() => parseArguments(['dir', '--external', 'Secret/'])).toThrow(/Kind\/name/);
  });

  it('exits 1 with the report when there are errors', () => {
    const result = runValidateCli([BROKEN]);
    expect(result.exitCode).toBe(1);
    expect(result.output.split('\n').pop()).toBe('4 objects checked, 3 errors, 0 warnings');
  });

  it('exits 0 for the valid app with its external Secrets', () => {
    const result = runValidateCli([VALID, '--external', 'Secret/shop/db-credentials', 'Secret/shop/registry-credentials']);
    expect(result).toEqual({ exitCode: 0, output: '11 objects checked, 0 errors, 0 warnings' });
  });

  it('exits 2 with a message when the folder cannot be read', () => {
    const result = runValidateCli([path.join(BROKEN, 'missing')]);
    expect(result.exitCode).toBe(2);
    expect(result.output).toMatch(/^cannot validate .*missing: ENOENT/);
  });

  it('runs as a script through scripts/run.js', () => {
    const run = spawnSync(process.execPath, ['scripts/run.js', 'scripts/validate.ts', BROKEN], { cwd: ROOT, encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stdout.trim().split('\n').pop()).toBe('4 objects checked, 3 errors, 0 warnings');
  });

  describe('schema checks, the same as npm run synth', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'validate-schema-'));
    fs.writeFileSync(path.join(folder, 'hpa.yaml'), [
      'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: settings', 'data:', '  mode: fast', 'immutible: true', '',
    ].join('\n'));

    it('reports an unknown field as an error of the target version', () => {
      const result = runValidateCli([folder]);
      expect(result.exitCode).toBe(1);
      expect(result.output).toContain('ConfigMap default/settings immutible: unknown field "immutible"');
      expect(result.output).toContain('(Kubernetes 1.27)');
    });

    it('checks against the version given with --kubernetes-version', () => {
      expect(parseArguments([folder, '--kubernetes-version', '1.33']).kubernetesVersion).toBe('1.33');
      expect(runValidateCli([folder, '--kubernetes-version', '1.33']).output).toContain('(Kubernetes 1.33)');
      expect(runValidateCli([folder, '--kubernetes-version', '1.19'])).toEqual({
        exitCode: 2, output: expect.stringMatching(/supported versions: 1\.27, 1\.33/),
      });
      expect(runValidateCli([folder, '--kubernetes-version'])).toEqual({ exitCode: 2, output: expect.stringMatching(/needs a version/) });
    });
  });

  it('reports a document that is not an object (a kubectl patch body) and still checks the rest of the folder', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'validate-patch-'));
    fs.writeFileSync(path.join(folder, 'a-patch.yaml'), 'spec:\n  replicas: 3\n');
    fs.writeFileSync(path.join(folder, 'b-config.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n');
    const result = runValidateCli([folder]);
    expect(result.exitCode).toBe(1);
    expect(result.output).toContain('a-patch.yaml\n  error   document 1 apiVersion: not a Kubernetes object');
    expect(result.output.split('\n').pop()).toBe('1 objects checked, 1 errors, 0 warnings');
  });
});

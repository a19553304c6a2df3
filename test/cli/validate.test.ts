import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArguments, runValidateCli, USAGE } from '../../lib/cli/validate';
import { runCli } from './run-cli';

const ROOT = path.join(__dirname, '../..');
const BROKEN = path.join(__dirname, '../fixtures/broken/mixed');
const VALID = path.join(__dirname, '../fixtures/valid/app');

describe('validate CLI', () => {
  it('parses the folder and repeated or grouped --external objects', () => {
    expect(parseArguments(['dir', '--external', 'Secret/a', 'Secret/shop/b', '--external=Namespace/tools'])).toEqual({
      paths: ['dir'],
      recursive: true,
      scope: 'app',
      externalObjects: [{ kind: 'Secret', name: 'a' }, { kind: 'Secret', namespace: 'shop', name: 'b' }, { kind: 'Namespace', name: 'tools' }],
    });
    expect(() => parseArguments([])).toThrow('missing folder (or manifest files)');
    expect(() => parseArguments(['dir', '--external', 'Secret'])).toThrow('--external needs Kind/name or Kind/namespace/name, got Secret');
    expect(() => parseArguments(['dir', '--external'])).toThrow(/^--external needs Kind\/name or Kind\/namespace\/name$/);
    expect(() => parseArguments(['dir', '--external', '--no-recursive'])).toThrow(/--external needs/);
  });

  it('never takes a folder after --external for its value', () => {
    expect(parseArguments(['--external', 'Secret/a', 'dist/prod'])).toMatchObject({ paths: ['dist/prod'], externalObjects: [{ kind: 'Secret', name: 'a' }] });
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'Secret'));
    const kindLike = path.join(folder, 'Db');
    fs.mkdirSync(kindLike);
    const relative = path.relative(process.cwd(), kindLike);
    expect(parseArguments(['--external', 'Secret/a', relative])).toMatchObject({ paths: [relative] });
    expect(() => parseArguments(['--external', 'dist/prod'])).toThrow('--external needs Kind/name or Kind/namespace/name, got dist/prod');
  });

  it('parses --no-recursive and the --server options, with KUBECTL as the default binary', () => {
    expect(parseArguments(['dir', '--no-recursive'])).toMatchObject({ recursive: false });
    expect(parseArguments(['dir', '--per-file'])).toMatchObject({ scope: 'file' });
    expect(parseArguments(['dir', '--per-folder'])).toMatchObject({ scope: 'folder' });
    expect(() => parseArguments(['dir', '--per-file', '--per-folder'])).toThrow('--per-file and --per-folder exclude each other');
    expect(parseArguments(['dir', '--server', '--kubeconfig', 'kc', '--context=ctx'], { KUBECTL: '/bin/kubectl' })).toMatchObject({
      server: { kubectl: '/bin/kubectl', kubeconfig: 'kc', context: 'ctx' },
    });
    expect(parseArguments(['dir', '--server', '--kubectl', 'k'], { KUBECTL: '/bin/kubectl' }).server).toEqual({ kubectl: 'k', kubeconfig: undefined, context: undefined });
    expect(() => parseArguments(['dir', '--kubeconfig', 'kc'])).toThrow('--kubeconfig only go with --server');
    expect(() => parseArguments(['dir', '--server', '--context'])).toThrow('--context needs a value');
  });

  it('exits 1 with the report when there are errors', async () => {
    const result = await runValidateCli([BROKEN]);
    expect(result.exitCode).toBe(1);
    expect(result.output.split('\n').pop()).toBe('4 objects checked, 3 errors, 0 warnings');
  });

  it('exits 0 for the valid app with its external Secrets', async () => {
    const result = await runValidateCli([VALID, '--external', 'Secret/shop/db-credentials', 'Secret/shop/registry-credentials']);
    expect(result).toEqual({ exitCode: 0, output: '11 objects checked, 0 errors, 0 warnings' });
  });

  it('exits 2 with a message when the folder cannot be read', async () => {
    const result = await runValidateCli([path.join(BROKEN, 'missing')]);
    expect(result.exitCode).toBe(2);
    expect(result.output).toMatch(/^cannot validate .*missing: ENOENT/);
  });

  it('runs as habr-k8s validate, paths relative to where it was started; several files are one set', async () => {
    const result = await runCli(['validate', path.relative(path.dirname(BROKEN), BROKEN)], { cwd: path.dirname(BROKEN) });
    expect(result.exitCode).toBe(1);
    expect(result.stdout.trim().split('\n').pop()).toBe('4 objects checked, 3 errors, 0 warnings');
    expect(await runCli(['validate', '../../../dist/01-mongo.yaml', '../../../dist/02-redis.yaml'], { cwd: path.dirname(BROKEN) })).toEqual({
      // The two files are one set (the Secret is declared external in 00-platform.yaml's header, not read here).
      exitCode: 1, stdout: expect.stringMatching(/^\.\.\/\.\.\/\.\.\/dist\/01-mongo\.yaml\n {2}error {3}StatefulSet default\/mongodb-statefulset [^\n]*Secret mongodb-secret[^\n]*\n\n6 objects checked, 1 errors, 0 warnings\n$/), stderr: '',
    });
    expect(await runCli(['validate'], { cwd: ROOT })).toEqual({ exitCode: 2, stdout: '', stderr: `missing folder (or manifest files)\n${USAGE}\n` });
  });

  describe('schema checks, the same as npm run synth', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'validate-schema-'));
    fs.writeFileSync(path.join(folder, 'hpa.yaml'), [
      'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: settings', 'data:', '  mode: fast', 'immutible: true', '',
    ].join('\n'));

    it('reports an unknown field as an error of the target version', async () => {
      const result = await runValidateCli([folder]);
      expect(result.exitCode).toBe(1);
      expect(result.output).toContain('ConfigMap default/settings immutible: unknown field "immutible"');
      expect(result.output).toContain('(Kubernetes 1.27)');
    });

    it('checks against the version given with --kubernetes-version', async () => {
      expect(parseArguments([folder, '--kubernetes-version', '1.33']).kubernetesVersion).toBe('1.33');
      expect((await runValidateCli([folder, '--kubernetes-version', '1.33'])).output).toContain('(Kubernetes 1.33)');
      expect(await runValidateCli([folder, '--kubernetes-version', '1.19'])).toEqual({
        exitCode: 2, output: expect.stringMatching(/supported versions: 1\.27, 1\.33/),
      });
      expect(await runValidateCli([folder, '--kubernetes-version'])).toEqual({ exitCode: 2, output: expect.stringMatching(/needs a version/) });
    });
  });

  it('reports a document that is not an object (a kubectl patch body) and still checks the rest of the folder', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'validate-patch-'));
    fs.writeFileSync(path.join(folder, 'a-patch.yaml'), 'spec:\n  replicas: 3\n');
    fs.writeFileSync(path.join(folder, 'b-config.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n');
    const result = await runValidateCli([folder]);
    expect(result.exitCode).toBe(1);
    expect(result.output).toContain('a-patch.yaml\n  error   document 1 apiVersion: not a Kubernetes object');
    expect(result.output.split('\n').pop()).toBe('1 objects checked, 1 errors, 0 warnings');
  });

  it('validates our own synthesized output without flags: the external objects travel in its header', async () => {
    expect(await runValidateCli([path.join(ROOT, 'dist/prod')])).toEqual({ exitCode: 0, output: '34 objects checked, 0 errors, 0 warnings' });
    const dev = await runValidateCli([path.join(ROOT, 'dist')]);
    expect(dev.exitCode).toBe(0);
    expect(dev.output.split('\n').slice(0, 2)).toEqual([
      `note: helm/habr/: skipped, a Helm chart (its templates are no manifests); render it first: helm template ${path.join(ROOT, 'dist/helm/habr')}`,
      `note: prod/: skipped, it holds a synthesized output of its own (another stage); validate it by itself: npx habr-k8s validate ${path.join(ROOT, 'dist/prod')}`,
    ]);
    // The dev stage's app images are built in minikube as `:latest`: a true warning, and its only findings.
    expect(dev.output.match(/^ {2}warning .*\[image-pinning; API server accepts\]$/gm)).toHaveLength(4);
    expect(dev.output.split('\n').pop()).toBe('24 objects checked, 0 errors, 4 warnings');
  });

  it('reports a YAML error and still checks the other files; a folder without objects is an error', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'validate-yaml-'));
    fs.writeFileSync(path.join(folder, 'a-broken.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: x\n');
    fs.mkdirSync(path.join(folder, 'sub'));
    fs.writeFileSync(path.join(folder, 'sub/b-env.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: flags\ndata:\n  debug: on\n');
    const result = await runValidateCli([folder]);
    expect(result.output).toContain('a-broken.yaml\n  error   document 1: invalid YAML at line 4: Tabs are not allowed as indentation [yaml; API server rejects]');
    expect(result.output).toContain('sub/b-env.yaml\n  error   ConfigMap default/flags data.debug: a value of V1ConfigMap.data must be a string, not the boolean true');
    expect(result.output).toContain('  warning ConfigMap default/flags data.debug: line 6: kubectl reads `on` as the boolean true (YAML 1.1, as go-yaml v2 does); '
      + 'a YAML 1.2 reader sees the string "on". Quote it if you mean the string. [yaml-1.1; API server rejects]');
    expect(result.output.split('\n').pop()).toBe('1 objects checked, 2 errors, 1 warnings');
    expect(await runValidateCli([folder, '--no-recursive'])).toEqual({
      exitCode: 1, output: expect.stringContaining('error   folder: no Kubernetes objects in 1 manifest file(s) at the top (--no-recursive)'),
    });
  });

  it('exits 2 when --server cannot run kubectl (the cluster suite checks a live server)', async () => {
    expect(await runValidateCli([VALID, '--server', '--kubectl', path.join(os.tmpdir(), 'no-such-kubectl')])).toEqual({
      exitCode: 2, output: expect.stringMatching(/^cannot reach the cluster for --server: cannot run .*no-such-kubectl: spawnSync .* ENOENT$/),
    });
  });
});

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { kubeconfigFiles, KubeconfigParts, mergeKubeconfigs } from '../../lib/deploy/kubeconfig';

function config(name: string, currentContext = ''): KubeconfigParts {
  return { clusters: [{ name, server: `https://${name}` } as { name: string }], users: [{ name }], contexts: [{ name, cluster: name, user: name }], currentContext };
}

describe('kubeconfig as kubectl chooses it', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeconfig-'));
  const a = path.join(dir, 'a');
  const b = path.join(dir, 'b');
  fs.writeFileSync(a, '');
  fs.writeFileSync(b, '');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('--kubeconfig alone, then KUBECONFIG (missing files skipped), then ~/.kube/config', () => {
    expect(kubeconfigFiles({ kubeconfig: 'a' }, { KUBECONFIG: b }, dir)).toEqual([a]);
    expect(kubeconfigFiles({}, { KUBECONFIG: [b, path.join(dir, 'missing'), a].join(path.delimiter) }, dir)).toEqual([b, a]);
    fs.mkdirSync(path.join(dir, '.kube'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.kube', 'config'), '');
    expect(kubeconfigFiles({}, { HOME: dir }, dir)).toEqual([path.join(dir, '.kube', 'config')]);
  });

  test('a missing --kubeconfig, a KUBECONFIG of missing files, and no config at all are reported', () => {
    expect(() => kubeconfigFiles({ kubeconfig: 'nope' }, {}, dir)).toThrow('--kubeconfig nope: no such file');
    expect(() => kubeconfigFiles({}, { KUBECONFIG: path.join(dir, 'x') }, dir)).toThrow('none of its files exists');
    expect(() => kubeconfigFiles({}, { HOME: path.join(dir, 'empty-home') }, dir)).toThrow('no kubeconfig:');
  });

  test('merged, the first file to define a name or a current context wins', () => {
    const first = { ...config('one'), contexts: [{ name: 'shared', cluster: 'one', user: 'one' }], currentContext: '' };
    const second = { ...config('two', 'shared'), contexts: [{ name: 'shared', cluster: 'two', user: 'two' }] };
    const third = config('three', 'three');
    const merged = mergeKubeconfigs([first, second, third], {}, 'files');
    expect(merged.currentContext).toBe('shared');
    expect(merged.contexts).toEqual([{ name: 'shared', cluster: 'one', user: 'one' }, { name: 'three', cluster: 'three', user: 'three' }]);
    expect(merged.clusters.map((c) => c.name)).toEqual(['one', 'two', 'three']);
  });

  test('--context wins over the current context and must exist with its cluster', () => {
    expect(mergeKubeconfigs([config('one', 'one'), config('two')], { context: 'two' }, 'files').currentContext).toBe('two');
    expect(() => mergeKubeconfigs([config('one', 'one')], { context: 'nope' }, 'files')).toThrow('context nope is not in files; it has: one');
    expect(() => mergeKubeconfigs([config('one')], {}, 'files')).toThrow('files has no current context: pass --context NAME (contexts: one)');
    expect(() => mergeKubeconfigs([{ ...config('one', 'one'), clusters: [] }], {}, 'files')).toThrow('context one names cluster one, which is not in files');
  });
});

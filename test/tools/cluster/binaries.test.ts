import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { availableHelm, BinariesUnavailableError, ensureClusterBinaries, kubernetesVersion, pinnedVersion } from '../../../tools/cluster/binaries';

const ALL = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubectl', 'kwok'];

function assets(names: readonly string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assets-'));
  for (const name of names) fs.writeFileSync(path.join(dir, name), '#!/bin/sh\n', { mode: 0o755 });
  return dir;
}

function withEnv<T>(env: Record<string, string | undefined>, body: () => T): T {
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete process.env[key];
  try {
    return body();
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

test('the versions come from the pinned go.mod files', () => {
  expect(kubernetesVersion()).toBe('v1.34.4');
  expect(pinnedVersion('etcd', 'go.etcd.io/etcd/server/v3')).toBe('v3.6.4');
  expect(pinnedVersion('kwok', 'sigs.k8s.io/kwok')).toBe('v0.7.0');
  expect(() => pinnedVersion('kwok', 'example.com/missing')).toThrow('tools/cluster/kwok/go.mod does not require example.com/missing');
});

test('KUBEBUILDER_ASSETS holding every binary needs no Go and builds nothing', () => {
  const dir = assets(ALL);
  const log: string[] = [];
  const binaries = withEnv({ KUBEBUILDER_ASSETS: dir, PATH: '/nonexistent' }, () => ensureClusterBinaries((line) => log.push(line)));
  expect(binaries).toEqual(Object.fromEntries(ALL.map((name) => [name, path.join(dir, name)])));
  expect(log).toEqual([]);
});

test('without Go, binaries missing from KUBEBUILDER_ASSETS are a one-line reason', () => {
  const dir = assets(['etcd', 'kube-apiserver', 'kubectl']);
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'cache-'));
  const run = () => withEnv({ KUBEBUILDER_ASSETS: dir, PATH: '/nonexistent', XDG_CACHE_HOME: cache }, () => ensureClusterBinaries(() => undefined));
  expect(run).toThrow(BinariesUnavailableError);
  expect(run).toThrow(/^the cluster suite needs Go on PATH to build .*or KUBEBUILDER_ASSETS naming a folder that already holds them$/);
});

test('a non-executable file in KUBEBUILDER_ASSETS is not taken for a binary', () => {
  const dir = assets(ALL.filter((name) => name !== 'kwok'));
  fs.writeFileSync(path.join(dir, 'kwok'), 'not a program', { mode: 0o644 });
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'cache-'));
  expect(() => withEnv({ KUBEBUILDER_ASSETS: dir, PATH: '/nonexistent', XDG_CACHE_HOME: cache }, () => ensureClusterBinaries(() => undefined)))
    .toThrow(BinariesUnavailableError);
});

test('availableHelm finds HELM_BIN or a cached build, and builds nothing', () => {
  const dir = assets(['helm']);
  expect(withEnv({ HELM_BIN: path.join(dir, 'helm') }, availableHelm)).toBe(path.join(dir, 'helm'));
  expect(() => withEnv({ HELM_BIN: path.join(dir, 'missing') }, availableHelm)).toThrow(`HELM_BIN=${path.join(dir, 'missing')} is not an executable file`);
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'cache-'));
  expect(withEnv({ HELM_BIN: undefined, XDG_CACHE_HOME: cache }, availableHelm)).toBeUndefined();
  expect(withEnv({ HELM_BIN: undefined, XDG_CACHE_HOME: cache, PATH: '/nonexistent' }, availableHelm)).toBeUndefined();
  expect(fs.readdirSync(cache)).toEqual([]);
});

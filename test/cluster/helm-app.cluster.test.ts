/**
 * The chart `habr-k8s helm` writes for a user's app outside this repository (test/cli/helm-app.ts:
 * two stages, values declared with chartValues) under the real helm, without a cluster: `helm lint`,
 * `helm template` of each stage compared object by object with what `habr-k8s synth` writes for
 * it, and what a `--set` changes.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseManifestText, readManifestFolder } from '../../lib/manifest/load';
import { KubeObject } from '../../lib/manifest/types';
import { shopProject } from '../cli/helm-app';
import { runBin } from '../outside-project';
import { temporaryFolder } from './cluster';
import { byKey, differences, helmOk } from './helm';

const project = shopProject();
const chart = path.join(project.dir, 'dist/helm/shop');
const DEV_VALUES = path.join(chart, 'values-dev.yaml');

function binOk(args: readonly string[]): string {
  const run = runBin(project.dir, args);
  if (run.status !== 0) throw new Error(`habr-k8s ${args.join(' ')} failed (${run.status}): ${run.stderr}`);
  return run.stdout;
}

/** The objects `habr-k8s synth` writes for the stage. */
function synthObjects(stage: string): KubeObject[] {
  const output = temporaryFolder(`shop-${stage}-`);
  binOk(['synth', '--stage', stage, '--output', output]);
  return readManifestFolder(output).objects.map((sourced) => sourced.object);
}

function template(args: readonly string[] = []): KubeObject[] {
  return parseManifestText(helmOk(['template', 'shop', chart, ...args]), 'helm template');
}

beforeAll(() => {
  binOk(['helm', '--stage', 'prod', '--stage', 'dev']);
});
afterAll(() => fs.rmSync(project.dir, { recursive: true, force: true }));

test('helm lint passes with the default values and with values-dev.yaml', () => {
  expect(helmOk(['lint', '--strict', chart])).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
  expect(helmOk(['lint', '--strict', chart, '-f', DEV_VALUES])).toMatch(/0 chart\(s\) failed/);
});

test('helm template with the default values renders exactly what habr-k8s synth writes for prod, the Ingress included', () => {
  const rendered = byKey(template());
  expect(rendered).toEqual(byKey(synthObjects('prod')));
  expect(Object.keys(rendered)).toContain('Ingress/shop/web-ingress');
});

test('helm template -f values-dev.yaml renders exactly what habr-k8s synth writes for dev', () => {
  expect(byKey(template(['-f', DEV_VALUES]))).toEqual(byKey(synthObjects('dev')));
});

test('--set memory=512Mi changes the request and the limit, and nothing else', () => {
  const before = byKey(template());
  const after = byKey(template(['--set', 'memory=512Mi']));
  const changed = Object.keys(before).flatMap((k) => differences(before[k], after[k]).map((field) => `${k} ${field}`));
  expect(changed.sort()).toEqual([
    'Deployment/shop/web-deployment spec.template.spec.containers.0.resources.limits.memory',
    'Deployment/shop/web-deployment spec.template.spec.containers.0.resources.requests.memory',
  ]);
});

import * as path from 'path';
import { App } from 'cdk8s';
import { HabrStack } from '../../apps/habr/stack';
import { outputFolder, STAGES } from '../../apps/habr/stages';
import { loadManifestFolder } from '../../lib/manifest/load';
import { KubeObject } from '../../lib/manifest/types';
import { renderApp } from '../../lib/render/synthesize';
import { selectorsOf } from './selectors';
// The selectors of dist/ and dist/prod as they were before the recommended labels were added.
import SELECTORS_BEFORE_LABELS from './fixtures/habr-selectors.json';

const ROOT = path.join(__dirname, '..', '..');

function render(stageName: string): KubeObject[] {
  const app = new App();
  new HabrStack(app, STAGES[stageName]);
  return renderApp(app).objects.map(({ object }) => object);
}

/** What `kubectl get <kinds> -l <key>=<value>` lists: `<kind>/<name>` of the objects whose own labels match. */
function selected(objects: readonly KubeObject[], key: string, value: string, kinds: readonly string[]): string[] {
  return objects.filter((o) => kinds.includes(o.kind) && o.metadata?.labels?.[key] === value).map((o) => `${o.kind}/${o.metadata!.name}`).sort();
}

/** Every label map of an object: its own, its pod template's and its job template's. */
function labelMaps(object: KubeObject): { where: string; labels: Record<string, string> | undefined }[] {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const spec = object.spec as any;
  const name = `${object.kind}/${object.metadata?.name}`;
  return [
    { where: name, labels: object.metadata?.labels },
    ...(spec?.template ? [{ where: `${name} pod template`, labels: spec.template.metadata?.labels }] : []),
    ...(spec?.jobTemplate ? [{ where: `${name} job template`, labels: spec.jobTemplate.metadata?.labels },
      { where: `${name} job pod template`, labels: spec.jobTemplate.spec.template.metadata?.labels }] : []),
  ];
}

describe.each(Object.keys(STAGES))('the recommended labels of the %s stage', (stageName) => {
  const objects = render(stageName);
  const before = (SELECTORS_BEFORE_LABELS as Record<string, unknown>)[stageName];

  test('leave every selector as it was: Deployments, StatefulSets, Services, PDBs, NetworkPolicies, affinities', () => {
    expect(JSON.stringify(selectorsOf(objects), null, 2)).toBe(JSON.stringify(before, null, 2));
  });

  test('the committed output has the same selectors', () => {
    const written = loadManifestFolder(outputFolder(stageName, path.join(ROOT, 'dist'))).map((s) => s.object);
    expect(JSON.stringify(selectorsOf(written), null, 2)).toBe(JSON.stringify(before, null, 2));
    expect(written.filter((o) => o.metadata?.labels?.['app.kubernetes.io/managed-by'] === 'habr-k8s')).toHaveLength(written.length);
  });

  test('no volume claim template has labels: they cannot change on a live StatefulSet', () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const claims = objects.flatMap((o) => ((o.spec as any)?.volumeClaimTemplates ?? []) as KubeObject[]);
    expect(claims.length).toBeGreaterThan(0);
    expect(claims.map((claim) => claim.metadata)).toEqual(claims.map((claim) => ({ name: claim.metadata?.name })));
  });

  test('every object and pod template is part of habr, its instance, and managed by habr-k8s', () => {
    const maps = objects.flatMap(labelMaps);
    expect(maps.length).toBeGreaterThan(objects.length);
    for (const { where, labels } of maps) {
      expect({ where, partOf: labels?.['app.kubernetes.io/part-of'], instance: labels?.['app.kubernetes.io/instance'], managedBy: labels?.['app.kubernetes.io/managed-by'] })
        .toEqual({ where, partOf: 'habr', instance: 'habr', managedBy: 'habr-k8s' });
    }
  });

  test('the database and the cache say their component', () => {
    expect(selected(objects, 'app.kubernetes.io/component', 'database', ['StatefulSet', 'Service'])).toEqual(['Service/mongodb-service', 'StatefulSet/mongodb-statefulset']);
    expect(selected(objects, 'app.kubernetes.io/component', 'cache', ['StatefulSet', 'Service'])).toEqual(['Service/redis-service', 'StatefulSet/redis-statefulset']);
  });
});

describe('selecting by app.kubernetes.io/name finds the protections of a workload', () => {
  test('prod: kubectl get pdb,hpa,netpol -l app.kubernetes.io/name=backend', () => {
    expect(selected(render('prod'), 'app.kubernetes.io/name', 'backend', ['PodDisruptionBudget', 'HorizontalPodAutoscaler', 'NetworkPolicy'])).toEqual([
      'HorizontalPodAutoscaler/backend-blue-hpa',
      'HorizontalPodAutoscaler/backend-green-hpa',
      'NetworkPolicy/backend-network-policy',
      'PodDisruptionBudget/backend-blue-pdb',
      'PodDisruptionBudget/backend-green-pdb',
    ]);
  });

  test('prod: each version\'s objects carry the tag of its image as app.kubernetes.io/version', () => {
    const objects = render('prod');
    expect(selected(objects, 'app.kubernetes.io/version', '1.1.0', ['Deployment', 'PodDisruptionBudget', 'HorizontalPodAutoscaler'])).toEqual([
      'Deployment/backend-green-deployment',
      'Deployment/frontend-green-deployment',
      'HorizontalPodAutoscaler/backend-green-hpa',
      'HorizontalPodAutoscaler/frontend-green-hpa',
      'PodDisruptionBudget/backend-green-pdb',
      'PodDisruptionBudget/frontend-green-pdb',
    ]);
    // The Service switches between versions: it names none.
    const service = objects.find((o) => o.kind === 'Service' && o.metadata?.name === 'backend-service')!;
    expect(service.metadata?.labels?.['app.kubernetes.io/version']).toBeUndefined();
  });

  test('dev: an image tagged latest says so', () => {
    const objects = render('dev');
    const worker = objects.find((o) => o.kind === 'Deployment' && o.metadata?.name === 'worker-deployment')!;
    expect(worker.metadata?.labels).toEqual({
      'app.kubernetes.io/instance': 'habr',
      'app.kubernetes.io/managed-by': 'habr-k8s',
      'app.kubernetes.io/name': 'worker',
      'app.kubernetes.io/part-of': 'habr',
      'app.kubernetes.io/version': 'latest',
    });
  });
});

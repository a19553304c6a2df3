import { App, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { declareExternalObject, renderApp, WebApp } from '../../lib';
import { externalObjectsOf } from '../../lib/constructs/external-objects';

describe('declareExternalObject', () => {
  test('without a namespace, a namespaced object is in the namespace of the chart it is declared in', () => {
    const app = new App();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const api = new WebApp(chart, 'Api', { name: 'api', image: 'api:1', port: 8080 });
    declareExternalObject(chart, { kind: 'Secret', name: 'chart-secret' });
    declareExternalObject(api, { kind: 'Secret', name: 'nested-secret' });
    expect(externalObjectsOf(app)).toEqual([
      { kind: 'Secret', name: 'chart-secret', namespace: 'shop' },
      { kind: 'Secret', name: 'nested-secret', namespace: 'shop' },
    ]);
  });

  test('an explicit namespace, a cluster-scoped kind, the app itself and a chart without namespace keep their meaning', () => {
    const app = new App();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const plain = new Chart(app, 'plain');
    declareExternalObject(chart, { kind: 'Secret', name: 'elsewhere', namespace: 'other' });
    declareExternalObject(chart, { kind: 'ClusterIssuer', name: 'letsencrypt' });
    declareExternalObject(app, { kind: 'Secret', name: 'app-level' });
    declareExternalObject(plain, { kind: 'Secret', name: 'plain-secret' });
    expect(externalObjectsOf(app)).toEqual([
      { kind: 'Secret', name: 'elsewhere', namespace: 'other' },
      { kind: 'ClusterIssuer', name: 'letsencrypt' },
      { kind: 'Secret', name: 'app-level' },
      { kind: 'Secret', name: 'plain-secret' },
    ]);
  });

  test('a Secret declared in a namespaced chart satisfies the references of that chart\'s pods', () => {
    const app = new App();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new k8s.KubeNamespace(chart, 'Ns', { metadata: { name: 'shop' } });
    new WebApp(chart, 'Api', { name: 'api', image: 'api:1', port: 8080, secretMounts: [{ secretName: 'api-secret', mountPath: '/run/secrets/api' }] });
    const missing = renderApp(app).report.findings.filter((f) => f.message.includes('api-secret'));
    expect(missing.length).toBeGreaterThan(0);
    declareExternalObject(chart, { kind: 'Secret', name: 'api-secret' });
    expect(renderApp(app).report.findings.filter((f) => f.message.includes('api-secret'))).toEqual([]);
  });
});

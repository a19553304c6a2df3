import { HpaPolicy, ReleasedWebApp } from '../../lib';
import { RELEASE_VERSION_LABEL } from '../../lib/manifest/release-labels';
import { find, has, invalid, newChart, synth } from '../helpers';

function release(chart = newChart()) {
  const app = new ReleasedWebApp(chart, 'Web', {
    name: 'web', port: 8080, replicas: 3,
    versions: { blue: { image: 'shop/web:1.0' }, green: { image: 'shop/web:1.1' } },
    release: { strategy: 'blue-green', active: 'blue' },
  });
  return { chart, app };
}

describe('ReleaseVersion', () => {
  test('is a pod target and a scale target of its own: name, selector, ports, requests, namespace', () => {
    const { app } = release(newChart('shop'));
    const green = app.versions.green;
    expect(green.name).toBe('web-green');
    expect(green.version).toBe('green');
    expect(green.selectorLabels).toEqual({ 'app.kubernetes.io/name': 'web', [RELEASE_VERSION_LABEL]: 'green' });
    expect(green.containerPorts).toEqual([{ name: 'http', port: 8080 }]);
    expect(green.containerRequests).toEqual([{ cpu: '100m', memory: '128Mi' }]);
    expect(green.namespace).toBe('shop');
    expect(green.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web-green-deployment' });
    expect(green.connections).toBe(app.connections);
  });

  test('an HpaPolicy can target one version directly; that version stops fixing its replicas, the other keeps them', () => {
    const { chart, app } = release();
    new HpaPolicy(chart, 'GreenAutoscaling', { target: app.versions.green, maxReplicas: 6, cpuUtilization: 60 });
    const objects = synth(chart);
    expect(find(objects, 'HorizontalPodAutoscaler', 'web-green-hpa').spec.scaleTargetRef.name).toBe('web-green-deployment');
    expect(find(objects, 'Deployment', 'web-green-deployment').spec.replicas).toBeUndefined();
    expect(find(objects, 'Deployment', 'web-blue-deployment').spec.replicas).toBe(3);
    expect(has(objects, 'HorizontalPodAutoscaler', 'web-blue-hpa')).toBe(false);
  });

  test('a second autoscaler on the same version is refused', () => {
    const chart = newChart();
    const app = new ReleasedWebApp(chart, 'Web', {
      name: 'web', port: 8080,
      versions: { blue: { image: 'shop/web:1.0', autoscaling: { maxReplicas: 3, cpuUtilization: 50 } } },
      release: { strategy: 'blue-green', active: 'blue' },
    });
    expect(() => new HpaPolicy(chart, 'Again', { target: app.versions.blue, maxReplicas: 4, cpuUtilization: 50 }))
      .toThrow(invalid('test/Web/blue', 'autoscaling', 'web-blue'));
  });
});

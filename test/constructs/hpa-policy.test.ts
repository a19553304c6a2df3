import { HpaPolicy, HpaPolicyProps, StatefulApp, WebApp, WebAppProps } from '../../lib';
import { find, has, invalid, newChart, synth, testChartLabels } from '../helpers';

function setup(appProps: Partial<WebAppProps> = {}) {
  const chart = newChart();
  const target = new WebApp(chart, 'App', { name: 'app', image: 'app:1.0', port: 8080, replicas: 3, networkPolicy: false, ...appProps });
  let count = 0;
  // The first HpaPolicy is `Hpa`, later ones `Hpa2`, `Hpa3`…, so that each message names its own construct.
  const make = (props: Partial<HpaPolicyProps>) =>
    new HpaPolicy(chart, `Hpa${++count > 1 ? count : ''}`, { target, maxReplicas: 5, cpuUtilization: 80, ...props });
  return { chart, target, make };
}

describe('HpaPolicy', () => {
  test('an autoscaling/v2 HPA <name>-hpa scaling the Deployment', () => {
    const { chart, make } = setup();
    make({ minReplicas: 2, maxReplicas: 20, cpuUtilization: 75, memoryAverageValue: '400Mi' });
    const hpa = find(synth(chart), 'HorizontalPodAutoscaler', 'app-hpa');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    // The target's labels, so that `kubectl get hpa -l app.kubernetes.io/name=app` finds it.
    expect(hpa.metadata.labels).toEqual(testChartLabels('app', { 'app.kubernetes.io/version': '1.0' }));
    expect(hpa.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'app-deployment' },
      minReplicas: 2,
      maxReplicas: 20,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 75 } } },
        { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '400Mi' } } },
      ],
    });
  });

  test('memory utilization, minReplicas 1 by default, and behavior', () => {
    const { chart, make } = setup();
    make({ cpuUtilization: undefined, memoryUtilization: 70, behavior: { scaleDown: { stabilizationWindowSeconds: 300 } } });
    const spec = find(synth(chart), 'HorizontalPodAutoscaler', 'app-hpa').spec;
    expect(spec.minReplicas).toBe(1);
    expect(spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 70 } } }]);
    expect(spec.behavior).toEqual({ scaleDown: { stabilizationWindowSeconds: 300 } });
  });

  test('the target stops fixing spec.replicas', () => {
    const { chart, make } = setup();
    expect(find(synth(chart), 'Deployment', 'app-deployment').spec.replicas).toBe(3);
    make({});
    expect(find(synth(chart), 'Deployment', 'app-deployment').spec).not.toHaveProperty('replicas');
  });

  test('a StatefulApp is scaled as its StatefulSet and loses spec.replicas', () => {
    const chart = newChart();
    const db = new StatefulApp(chart, 'Db', { name: 'db', image: 'db:1.0', port: 5432, replicas: 2 });
    new HpaPolicy(chart, 'Hpa', { target: db, maxReplicas: 4, cpuUtilization: 60 });
    const objects = synth(chart);
    expect(find(objects, 'HorizontalPodAutoscaler', 'db-hpa').spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db-statefulset' });
    expect(find(objects, 'StatefulSet', 'db-statefulset').spec).not.toHaveProperty('replicas');
  });

  test('utilization without a request is refused', () => {
    const { make } = setup({ resources: { requests: { cpu: undefined } } });
    expect(() => make({ cpuUtilization: 75 })).toThrow(invalid('test/Hpa', 'cpuUtilization', 75));
    const noMemory = setup({ resources: { requests: { memory: undefined } } });
    expect(() => noMemory.make({ cpuUtilization: undefined, memoryUtilization: 80 })).toThrow(invalid('test/Hpa', 'memoryUtilization', 80));
    expect(() => setup({ resources: { requests: { memory: undefined } } }).make({ cpuUtilization: undefined, memoryAverageValue: '400Mi' })).not.toThrow();
  });

  test('validation', () => {
    const make = (props: Partial<HpaPolicyProps>) => setup().make(props);
    expect(() => make({ minReplicas: 6, maxReplicas: 5 })).toThrow(invalid('test/Hpa', 'minReplicas', 6));
    expect(() => make({ minReplicas: 0 })).toThrow(invalid('test/Hpa', 'minReplicas', 0));
    expect(() => make({ maxReplicas: 0 })).toThrow(invalid('test/Hpa', 'maxReplicas', 0));
    expect(() => make({ cpuUtilization: undefined })).toThrow(invalid('test/Hpa', 'metrics', undefined));
    expect(() => make({ cpuUtilization: 0 })).toThrow(invalid('test/Hpa', 'cpuUtilization', 0));
    expect(() => make({ cpuUtilization: 75.5 })).toThrow(invalid('test/Hpa', 'cpuUtilization', 75.5));
    expect(() => make({ memoryAverageValue: '400 MB' })).toThrow(invalid('test/Hpa', 'memoryAverageValue', '400 MB'));
    expect(() => make({ memoryAverageValue: '-1Gi' })).toThrow(invalid('test/Hpa', 'memoryAverageValue', '-1Gi'));
    expect(() => make({ memoryAverageValue: '0' })).toThrow(invalid('test/Hpa', 'memoryAverageValue', '0'));
  });

  test('a second HPA on the same target is refused, naming the target', () => {
    const { chart, make } = setup();
    make({});
    expect(() => make({ memoryAverageValue: '400Mi' })).toThrow(invalid('test/App', 'autoscaling', 'app'));
    expect(chart.node.tryFindChild('Hpa2')).toBeUndefined();
    expect(synth(chart).filter((o) => o.kind === 'HorizontalPodAutoscaler')).toHaveLength(1);
  });

  test('a second HPA on the same StatefulApp is refused', () => {
    const chart = newChart();
    const db = new StatefulApp(chart, 'Db', { name: 'db', image: 'db:1.0', port: 5432, replicas: 2 });
    new HpaPolicy(chart, 'Hpa', { target: db, maxReplicas: 4, cpuUtilization: 60 });
    expect(() => new HpaPolicy(chart, 'Hpa2', { target: db, maxReplicas: 6, cpuUtilization: 80 })).toThrow(invalid('test/Db', 'autoscaling', 'db'));
  });

  test('a refused HPA creates no object and leaves the replicas fixed', () => {
    const { chart, make } = setup({ resources: { requests: { cpu: undefined } } });
    expect(() => make({ minReplicas: 9 })).toThrow(/^test\/Hpa/);
    expect(() => make({ cpuUtilization: 50 })).toThrow(/^test\/Hpa2/);
    const objects = synth(chart);
    expect(has(objects, 'HorizontalPodAutoscaler', 'app-hpa')).toBe(false);
    expect(find(objects, 'Deployment', 'app-deployment').spec.replicas).toBe(3);
    expect(chart.node.tryFindChild('Hpa')).toBeUndefined();
    expect(chart.node.tryFindChild('Hpa2')).toBeUndefined();
  });
});

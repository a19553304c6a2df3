import { hpaRule } from '../../../lib/validation/rules/hpa';
import { KubeObject } from '../../../lib/manifest/types';
import { container, deployment, runRule, summarize } from '../helpers';

function hpa(spec: Record<string, unknown>, apiVersion = 'autoscaling/v2'): KubeObject {
  return {
    apiVersion, kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 5, ...spec },
  };
}

const cpuUtilization = { metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }] };
const withRequests = deployment({ containers: [container({ resources: { requests: { cpu: '100m' } } }), container({ name: 'sidecar', resources: { limits: { cpu: '50m' } } })] });
const withoutRequests = deployment({ containers: [container({ resources: { requests: { cpu: '100m' } } }), container({ name: 'sidecar' })] });

describe('hpa', () => {
  it('passes when the target exists without spec.replicas and every container requests the resource (limits count)', () => {
    expect(runRule(hpaRule, [withRequests, hpa(cpuUtilization)])).toEqual([]);
  });

  it('does not need requests for AverageValue targets', () => {
    const averageValue = { metrics: [{ type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } } }] };
    expect(runRule(hpaRule, [deployment(), hpa(averageValue)])).toEqual([]);
  });

  it('rejects minReplicas above maxReplicas and below 1', () => {
    expect(summarize(runRule(hpaRule, [withRequests, hpa({ ...cpuUtilization, minReplicas: 6 })]))).toEqual([{ rule: 'hpa', path: 'spec.minReplicas', severity: 'error' }]);
    const zero = runRule(hpaRule, [withRequests, hpa({ ...cpuUtilization, minReplicas: 0 })]);
    expect(zero).toHaveLength(1);
    expect(zero[0]).toMatchObject({ path: 'spec.minReplicas', apiServer: 'rejects' });
    expect(zero[0].message).toContain('below 1');
  });

  it('reports a missing target and a wrong apiVersion', () => {
    const missing = runRule(hpaRule, [hpa({ ...cpuUtilization, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' } })]);
    expect(summarize(missing)).toEqual([{ rule: 'hpa', path: 'spec.scaleTargetRef.name', severity: 'error' }]);
    expect(missing[0].message).toMatch(/Deployment api.*never scales/);
    const wrongVersion = runRule(hpaRule, [withRequests, hpa({ ...cpuUtilization, scaleTargetRef: { apiVersion: 'extensions/v1beta1', kind: 'Deployment', name: 'web' } })]);
    expect(summarize(wrongVersion)).toEqual([{ rule: 'hpa', path: 'spec.scaleTargetRef.apiVersion', severity: 'error' }]);
  });

  it('accepts a target declared external', () => {
    const external = hpa({ ...cpuUtilization, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' } });
    expect(runRule(hpaRule, [external], [{ kind: 'Deployment', name: 'api' }])).toEqual([]);
  });

  it('reports containers without requests for a Utilization metric, and the CPU default of metric-less HPAs', () => {
    const findings = runRule(hpaRule, [withoutRequests, hpa(cpuUtilization)]);
    expect(summarize(findings)).toEqual([{ rule: 'hpa', path: 'spec.metrics[0].resource', severity: 'error' }]);
    expect(findings[0].message).toMatch(/container sidecar .*no resources\.requests\.cpu.*never scales/);
    const v1 = runRule(hpaRule, [withoutRequests, hpa({ metrics: undefined }, 'autoscaling/v1')]);
    expect(v1.map((f) => f.path)).toEqual(['spec']);
  });

  it('checks only the named container of a ContainerResource metric', () => {
    const containerMetric = { metrics: [{ type: 'ContainerResource', containerResource: { name: 'cpu', container: 'app', target: { type: 'Utilization', averageUtilization: 60 } } }] };
    expect(runRule(hpaRule, [withoutRequests, hpa(containerMetric)])).toEqual([]);
  });

  it('reports spec.replicas on the target, at the target', () => {
    const findings = runRule(hpaRule, [deployment({ replicas: 3, containers: [container({ resources: { requests: { cpu: '1' } } })] }), hpa(cpuUtilization)]);
    expect(summarize(findings)).toEqual([{ rule: 'hpa', path: 'spec.replicas', severity: 'error' }]);
    expect(findings[0].object).toBe('Deployment default/web');
    expect(findings[0].message).toMatch(/every apply resets the replica count/);
  });
});

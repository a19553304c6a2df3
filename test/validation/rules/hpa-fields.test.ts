import { hpaFields } from '../../../lib/validation/rules/hpa-fields';
import { KubeObject } from '../../../lib/manifest/types';
import { runRule } from '../helpers';

function hpa(spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 5, ...spec },
  };
}
const cpu = (target: Record<string, unknown>) => [{ type: 'Resource', resource: { name: 'cpu', target } }];

describe('hpa-fields', () => {
  it('passes for utilization and value metrics and bounded behavior', () => {
    expect(runRule(hpaFields, [hpa({
      metrics: [...cpu({ type: 'Utilization', averageUtilization: 70 }), { type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '10' } } }],
      behavior: { scaleDown: { stabilizationWindowSeconds: 3600, selectPolicy: 'Min', policies: [{ type: 'Percent', value: 10, periodSeconds: 1800 }] }, scaleUp: {} },
    })])).toEqual([]);
  });

  it('rejects metric types and sections that do not match, and incomplete targets', () => {
    const findings = runRule(hpaFields, [
      hpa({ metrics: [{ type: 'Cpu' }] }),
      hpa({ metrics: [{ type: 'Pods', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }] }),
      hpa({ metrics: cpu({ type: 'Utilization' }) }),
    ]);
    expect(findings.map((f) => f.path)).toEqual(['spec.metrics[0].type', 'spec.metrics[0].pods', 'spec.metrics[0].resource', 'spec.metrics[0].resource.target']);
  });

  it('rejects behavior outside the API server\'s bounds and maxReplicas 0', () => {
    const findings = runRule(hpaFields, [hpa({ maxReplicas: 0, behavior: { scaleUp: { stabilizationWindowSeconds: 3601, policies: [{ type: 'Replicas', value: 0, periodSeconds: 1801 }] } } })]);
    expect(findings.map((f) => f.path)).toEqual([
      'spec.maxReplicas',
      'spec.behavior.scaleUp.stabilizationWindowSeconds',
      'spec.behavior.scaleUp.policies[0].type',
      'spec.behavior.scaleUp.policies[0].value',
      'spec.behavior.scaleUp.policies[0].periodSeconds',
    ]);
  });
});

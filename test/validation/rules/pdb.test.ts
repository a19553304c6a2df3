import { pdbRule } from '../../../lib/validation/rules/pdb';
import { KubeObject } from '../../../lib/manifest/types';
import { deployment, runRule, summarize, workload } from '../helpers';

function pdb(spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web' },
    spec: { selector: { matchLabels: { app: 'web' } }, unhealthyPodEvictionPolicy: 'AlwaysAllow', ...spec },
  };
}

describe('pdb', () => {
  it('passes when the budget selects pods and leaves room for an eviction', () => {
    expect(runRule(pdbRule, [deployment({ replicas: 3 }), pdb({ minAvailable: 2 })])).toEqual([]);
    expect(runRule(pdbRule, [deployment({ replicas: 1 }), pdb({ maxUnavailable: 1 })])).toEqual([]);
    expect(runRule(pdbRule, [deployment({ replicas: 3 }), pdb({ minAvailable: '50%' })])).toEqual([]);
  });

  it('warns about a selector that matches no pod', () => {
    const findings = runRule(pdbRule, [deployment(), pdb({ selector: { matchLabels: { app: 'api' } }, maxUnavailable: 1 })]);
    expect(summarize(findings)).toEqual([{ rule: 'pdb', path: 'spec.selector', severity: 'warning' }]);
    expect(findings[0].message).toMatch(/app=api.*matches no pod template.*protects nothing/);
  });

  it('reports maxUnavailable 0', () => {
    const findings = runRule(pdbRule, [deployment({ replicas: 3 }), pdb({ maxUnavailable: 0 })]);
    expect(summarize(findings)).toEqual([{ rule: 'pdb', path: 'spec.maxUnavailable', severity: 'error' }]);
    expect(findings[0].message).toMatch(/drain.*hang/);
  });
  it.each([0, '0%', '00%', '0'])('reports maxUnavailable %j as zero', (maxUnavailable) => {
    const findings = runRule(pdbRule, [deployment({ replicas: 3 }), pdb({ maxUnavailable })]);
    expect(summarize(findings)).toEqual([{ rule: 'pdb', path: 'spec.maxUnavailable', severity: 'error' }]);
  });

  it('reports minAvailable at or above the replica count, using the HPA floor when an HPA scales the pods', () => {
    expect(summarize(runRule(pdbRule, [deployment({ replicas: 2 }), pdb({ minAvailable: 2 })]))).toEqual([{ rule: 'pdb', path: 'spec.minAvailable', severity: 'error' }]);
    expect(runRule(pdbRule, [workload('StatefulSet'), pdb({ minAvailable: 1 })])).toHaveLength(1); // replicas default to 1
    const hpa = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 3, maxReplicas: 6 } };
    expect(runRule(pdbRule, [deployment(), hpa, pdb({ minAvailable: 2 })])).toEqual([]);
    expect(runRule(pdbRule, [deployment(), hpa, pdb({ minAvailable: 3 })]).map((f) => f.path)).toEqual(['spec.minAvailable']);
  });

  it('reports minAvailable 100%', () => {
    expect(runRule(pdbRule, [deployment({ replicas: 5 }), pdb({ minAvailable: '100%' })]).map((f) => f.path)).toEqual(['spec.minAvailable']);
  });

  it.each([undefined, 'IfHealthyBudget'])('warns when unhealthy pods count against the budget (unhealthyPodEvictionPolicy %j)', (policy) => {
    const findings = runRule(pdbRule, [deployment({ replicas: 3 }), pdb({ maxUnavailable: 1, unhealthyPodEvictionPolicy: policy })]);
    expect(summarize(findings)).toEqual([{ rule: 'pdb', path: 'spec.unhealthyPodEvictionPolicy', severity: 'warning' }]);
    expect(findings[0].message).toMatch(/crash-loop.*drains hang.*AlwaysAllow/);
  });
});

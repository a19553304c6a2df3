import { pdbFields } from '../../../lib/validation/rules/pdb-fields';
import { KubeObject } from '../../../lib/manifest/types';
import { runRule } from '../helpers';

const pdb = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } }, ...spec } });

describe('pdb-fields', () => {
  it('passes for one bound, a count or a percentage', () => {
    expect(runRule(pdbFields, [pdb({ maxUnavailable: 1 }), pdb({ minAvailable: '50%', unhealthyPodEvictionPolicy: 'AlwaysAllow' }), pdb({ maxUnavailable: 0 })])).toEqual([]);
  });

  it('rejects both bounds, a percentage above 100% and a string that is not a percentage', () => {
    const findings = runRule(pdbFields, [pdb({ minAvailable: 1, maxUnavailable: 1 }), pdb({ minAvailable: '150%' }), pdb({ maxUnavailable: '1' })]);
    expect(findings.map((f) => f.path)).toEqual(['spec', 'spec.minAvailable', 'spec.maxUnavailable']);
    expect(findings[0].message).toContain('spec sets both minAvailable (1) and maxUnavailable (1); the API server rejects it');
  });
});

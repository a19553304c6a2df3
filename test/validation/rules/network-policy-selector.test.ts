import { networkPolicySelector } from '../../../lib/validation/rules/network-policy-selector';
import { KubeObject } from '../../../lib/manifest/types';
import { deployment, runRule, summarize } from '../helpers';

function policy(podSelector: Record<string, unknown>, namespace = 'default'): KubeObject {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'web', namespace }, spec: { podSelector, policyTypes: ['Ingress'] } };
}

describe('network-policy-selector', () => {
  it('passes for a selector matching pods and for the empty selector (whole namespace)', () => {
    expect(runRule(networkPolicySelector, [deployment(), policy({ matchLabels: { app: 'web' } }), policy({}, 'empty')])).toEqual([]);
  });

  it('warns about a selector that matches no pod of the namespace', () => {
    const findings = runRule(networkPolicySelector, [deployment({ namespace: 'other' }), policy({ matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }] })]);
    expect(summarize(findings)).toEqual([{ rule: 'network-policy-selector', path: 'spec.podSelector', severity: 'warning' }]);
    expect(findings[0].message).toMatch(/app In \(web\).*matches no pod template in namespace default.*stays open/);
  });
});

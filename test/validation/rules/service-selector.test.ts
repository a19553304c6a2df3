import { serviceSelector } from '../../../lib/validation/rules/service-selector';
import { deployment, runRule, service, summarize } from '../helpers';

describe('service-selector', () => {
  it('passes when the selector matches a pod template of the namespace, and for Services without selector', () => {
    const objects = [deployment({ labels: { app: 'web', tier: 'front' } }), service({ selector: { app: 'web' } }), service({ name: 'external-db', selector: {} })];
    expect(runRule(serviceSelector, objects)).toEqual([]);
  });

  it('reports a selector that matches no pod template', () => {
    const findings = runRule(serviceSelector, [deployment({ labels: { app: 'web' } }), service({ selector: { app: 'webapp' } })]);
    expect(summarize(findings)).toEqual([{ rule: 'service-selector', path: 'spec.selector', severity: 'error' }]);
    expect(findings[0].apiServer).toBe('accepts');
    expect(findings[0].message).toMatch(/app=webapp.*matches no pod template in namespace default.*no endpoints.*Deployment web \(app=web\)/);
  });

  it('does not match pods of another namespace', () => {
    const findings = runRule(serviceSelector, [deployment({ namespace: 'shop' }), service({ namespace: 'other' })]);
    expect(findings.map((f) => f.object)).toEqual(['Service other/web']);
  });
});

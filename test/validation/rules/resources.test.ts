import { resourceQuantities } from '../../../lib/validation/rules/resources';
import { container, deployment, runRule, summarize } from '../helpers';

function withResources(resources: Record<string, unknown>, initResources?: Record<string, unknown>) {
  return deployment({
    containers: [container({ resources })],
    podSpec: initResources ? { initContainers: [container({ name: 'init', resources: initResources })] } : {},
  });
}

describe('resource-quantities', () => {
  it('passes for valid quantities with requests at or below limits', () => {
    const objects = [withResources({ requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: 1, memory: '1024Mi' } }, { requests: { cpu: '0.1' } })];
    expect(runRule(resourceQuantities, objects)).toEqual([]);
  });

  it('rejects unparsable and negative quantities', () => {
    const findings = runRule(resourceQuantities, [withResources({ requests: { memory: '1GB' } }, { limits: { cpu: '-1' } })]);
    expect(summarize(findings)).toEqual([
      { rule: 'resource-quantities', path: 'spec.template.spec.containers[0].resources.requests.memory', severity: 'error' },
      { rule: 'resource-quantities', path: 'spec.template.spec.initContainers[0].resources.limits.cpu', severity: 'error' },
    ]);
    expect(findings[0].message).toMatch(/"1GB", which is not a Kubernetes quantity; the API server rejects it.*"1Gi"/);
    expect(findings[1].message).toContain('negative');
  });

  it('rejects requests above limits, comparing across suffixes', () => {
    const findings = runRule(resourceQuantities, [withResources({ requests: { cpu: '1.5', memory: '1Gi' }, limits: { cpu: '1500m', memory: '1000Mi' } })]);
    expect(summarize(findings)).toEqual([{ rule: 'resource-quantities', path: 'spec.template.spec.containers[0].resources.requests.memory', severity: 'error' }]);
    expect(findings[0].message).toMatch(/requests\.memory \(1Gi\).*above limits\.memory \(1000Mi\).*rejects/);
  });
});

import { unitlessQuantities } from '../../../lib/validation/rules/unitless-quantities';
import { container, deployment, runRule, summarize } from '../helpers';

function withResources(resources: Record<string, unknown>) {
  return deployment({ containers: [container({ resources })] });
}

describe('unitless-quantities', () => {
  it('passes quantities with units, and unitless ones that mean what they say (cpu: 2, memory in bytes from 1Mi up)', () => {
    const objects = [withResources({ requests: { cpu: '2', memory: '268435456' }, limits: { cpu: 9, memory: '512Mi' } }), withResources({ requests: { cpu: '500m', memory: 1048576 } })];
    expect(runRule(unitlessQuantities, objects)).toEqual([]);
  });

  it('warns about cpu: 500 (500 cores) and memory: 256 (256 bytes), strings and plain numbers, naming what they mean', () => {
    const findings = runRule(unitlessQuantities, [withResources({ requests: { cpu: '500', memory: 256 }, limits: { cpu: 10, memory: '1048575' } })]);
    expect(summarize(findings)).toEqual([
      { rule: 'unitless-quantities', path: 'spec.template.spec.containers[0].resources.requests.cpu', severity: 'warning' },
      { rule: 'unitless-quantities', path: 'spec.template.spec.containers[0].resources.requests.memory', severity: 'warning' },
      { rule: 'unitless-quantities', path: 'spec.template.spec.containers[0].resources.limits.cpu', severity: 'warning' },
      { rule: 'unitless-quantities', path: 'spec.template.spec.containers[0].resources.limits.memory', severity: 'warning' },
    ]);
    expect(findings[0].message).toContain('cpu: 500 means 500 cores; did you mean 500m?');
    expect(findings[1].message).toContain('memory: 256 means 256 bytes; did you mean 256Mi?');
    expect(findings[2].message).toContain('cpu: 10 means 10 cores; did you mean 10m?');
    expect(findings[3].message).toContain('memory: 1048575 means 1048575 bytes');
  });

  it('leaves unparsable quantities to resource-quantities', () => {
    expect(runRule(unitlessQuantities, [withResources({ requests: { cpu: '500 m', memory: '1GB' } })])).toEqual([]);
  });
});

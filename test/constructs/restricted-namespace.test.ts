import { RestrictedNamespace } from '../../lib';
import { find, invalid, newChart, synth, testChartLabels } from '../helpers';

describe('RestrictedNamespace', () => {
  test('labels the namespace to enforce, warn and audit the restricted standard, pinned to v1.27, with a default-deny policy', () => {
    const chart = newChart();
    new RestrictedNamespace(chart, 'Ns', { name: 'shop' });
    const objects = synth(chart);
    expect(find(objects, 'Namespace', 'shop').metadata.labels).toEqual({
      ...testChartLabels(),
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'v1.27',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/warn-version': 'v1.27',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/audit-version': 'v1.27',
    });
    const deny = find(objects, 'NetworkPolicy', 'default-deny-ingress');
    expect(deny.metadata.namespace).toBe('shop');
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
    const denyEgress = find(objects, 'NetworkPolicy', 'default-deny-egress');
    expect(denyEgress.metadata.namespace).toBe('shop');
    expect(denyEgress.spec).toEqual({ podSelector: {}, policyTypes: ['Egress'] });
  });

  test('its members: the name as namespace, like every construct, and the objects', () => {
    const ns = new RestrictedNamespace(newChart(), 'Ns', { name: 'shop' });
    expect(ns.namespace).toBe('shop');
    expect(ns.namespaceObject.name).toBe('shop');
    expect(ns.defaultDenyIngress?.policy.name).toBe('default-deny-ingress');
    expect(ns.defaultDenyEgress?.policy.name).toBe('default-deny-egress');
  });

  test('level, version and the default-deny policy can be overridden', () => {
    const chart = newChart();
    new RestrictedNamespace(chart, 'Ns', { name: 'legacy', podSecurity: 'baseline', podSecurityVersion: 'latest', defaultDenyIngress: false, defaultDenyEgress: false });
    const objects = synth(chart);
    expect(find(objects, 'Namespace', 'legacy').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
    expect(find(objects, 'Namespace', 'legacy').metadata.labels['pod-security.kubernetes.io/enforce-version']).toBe('latest');
    expect(objects.map((o) => o.kind)).toEqual(['Namespace']);
  });

  test.each([
    ['name', { name: 'Shop' }, 'Shop'],
    ['podSecurity', { name: 'shop', podSecurity: 'strict' as never }, 'strict'],
    ['podSecurityVersion', { name: 'shop', podSecurityVersion: '1.27' }, '1.27'],
  ])('refuses a bad %s', (field, props, value) => {
    expect(() => new RestrictedNamespace(newChart(), 'Ns', props)).toThrow(invalid('test/Ns', field, value));
  });
});

import { namespaceOrder } from '../../../lib/validation/rules/namespace-order';
import { KubeObject } from '../../../lib/manifest/types';
import { deployment, runRule, service, summarize } from '../helpers';

const shop: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } };

describe('namespace-order', () => {
  it('passes for built-in namespaces, namespaces created earlier and declared external ones', () => {
    expect(runRule(namespaceOrder, [deployment(), service({ namespace: 'kube-system' }), shop, deployment({ namespace: 'shop' })])).toEqual([]);
    expect(runRule(namespaceOrder, [deployment({ namespace: 'tools' })], [{ kind: 'Namespace', name: 'tools' }])).toEqual([]);
  });

  it('rejects objects applied before the Namespace that creates their namespace', () => {
    const findings = runRule(namespaceOrder, [deployment({ namespace: 'shop' }), service({ namespace: 'shop' }), shop]);
    expect(summarize(findings)).toEqual([
      { rule: 'namespace-order', path: 'metadata.namespace', severity: 'error' },
      { rule: 'namespace-order', path: 'metadata.namespace', severity: 'error' },
    ]);
    expect(findings[0].apiServer).toBe('rejects');
    expect(findings[0].message).toMatch(/comes later in apply order.*not found.*Put the Namespace first/);
  });

  it('warns once per namespace that nothing creates', () => {
    const findings = runRule(namespaceOrder, [deployment({ namespace: 'shop' }), service({ namespace: 'shop' })]);
    expect(summarize(findings)).toEqual([{ rule: 'namespace-order', path: 'metadata.namespace', severity: 'warning' }]);
    expect(findings[0]).toMatchObject({ object: 'Deployment shop/web', apiServer: 'rejects' });
    expect(findings[0].message).toMatch(/used by 2 object\(s\).*must exist before they are applied.*--external Namespace\/shop/);
  });
});

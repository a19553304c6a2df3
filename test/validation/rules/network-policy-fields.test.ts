import { isStrictSubnet, parseCidr } from '../../../lib/manifest/cidr';
import { networkPolicyFields } from '../../../lib/validation/rules/network-policy-fields';
import { KubeObject } from '../../../lib/manifest/types';
import { runRule } from '../helpers';

function policy(egress: Record<string, unknown>): KubeObject {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'web' }, spec: { podSelector: {}, policyTypes: ['Egress'], egress: [egress] } };
}

describe('network-policy-fields', () => {
  it('parses CIDRs as the API server does (leading zeros and host bits tolerated)', () => {
    expect(parseCidr('10.0.0.1/8')).toBeDefined();
    expect(parseCidr('010.0.0.0/8')).toBeDefined();
    expect(parseCidr('fd00::/8')).toBeDefined();
    for (const bad of ['10.0.0.0/33', '10.0.0.256/8', '10.0.0.1', 'fd00::/129', 'internal']) expect(parseCidr(bad)).toBeUndefined();
    expect(isStrictSubnet(parseCidr('10.1.0.0/16')!, parseCidr('10.0.0.0/8')!)).toBe(true);
    expect(isStrictSubnet(parseCidr('10.0.0.0/8')!, parseCidr('10.0.0.0/8')!)).toBe(false);
    expect(isStrictSubnet(parseCidr('fd00:1::/32')!, parseCidr('fd00::/8')!)).toBe(true);
  });

  it('passes for port ranges and ipBlocks with excepts inside them', () => {
    expect(runRule(networkPolicyFields, [policy({ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }], ports: [{ port: 5432, endPort: 5433 }] })])).toEqual([]);
  });

  it('rejects a bad CIDR, an except outside the cidr, and endPort below port', () => {
    const findings = runRule(networkPolicyFields, [
      policy({ to: [{ ipBlock: { cidr: '10.0.0.0/33' } }] }),
      policy({ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['192.168.0.0/16'] } }], ports: [{ port: 5432, endPort: 5000 }] }),
    ]);
    expect(findings.map((f) => f.path)).toEqual(['spec.egress[0].to[0].ipBlock.cidr', 'spec.egress[0].ports[0].endPort', 'spec.egress[0].to[0].ipBlock.except[0]']);
    expect(findings[1].message).toBe('spec.egress[0].ports[0].endPort (5000) is below port (5432); the API server rejects it. Make endPort ≥ port.');
  });

  it('rejects an ipBlock combined with a selector and an empty peer', () => {
    const findings = runRule(networkPolicyFields, [policy({ to: [{ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }, {}] })]);
    expect(findings.map((f) => f.path)).toEqual(['spec.egress[0].to[0]', 'spec.egress[0].to[1]']);
  });
});

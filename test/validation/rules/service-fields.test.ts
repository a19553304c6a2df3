import { serviceFields } from '../../../lib/validation/rules/service-fields';
import { KubeObject } from '../../../lib/manifest/types';
import { runRule, service } from '../helpers';

function withSpec(spec: Record<string, unknown>): KubeObject {
  const base = service();
  return { ...base, spec: { ...(base.spec as object), ...spec } };
}

describe('service-fields', () => {
  it('passes for ClusterIP, NodePort, headless and ExternalName Services', () => {
    expect(runRule(serviceFields, [
      service(),
      withSpec({ type: 'NodePort', ports: [{ name: 'http', port: 80, targetPort: 8080, nodePort: 30080 }], externalTrafficPolicy: 'Local' }),
      withSpec({ clusterIP: 'None', ports: [] }),
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'db' }, spec: { type: 'ExternalName', externalName: 'db.example.com.' } },
      withSpec({ ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }] }),
    ])).toEqual([]);
  });

  it('rejects the issue\'s Services: type ClusterIPP, headless NodePort, nodePort on ClusterIP, a 16-character targetPort name', () => {
    const findings = runRule(serviceFields, [
      withSpec({ type: 'ClusterIPP' }),
      withSpec({ type: 'NodePort', clusterIP: 'None' }),
      withSpec({ ports: [{ name: 'http', port: 80, nodePort: 30080 }] }),
      withSpec({ ports: [{ name: 'http', port: 80, targetPort: 'http-metrics-abc' }] }),
    ]);
    expect(findings.map((f) => f.path)).toEqual(['spec.type', 'spec.clusterIP', 'spec.ports[0].nodePort', 'spec.ports[0].targetPort']);
    expect(findings[3].message).toContain('longer than 15 characters');
    expect(findings[3].message).toContain('the API server rejects it');
  });

  it('rejects unnamed ports of a multi-port Service, duplicates, and externalTrafficPolicy on a ClusterIP Service', () => {
    const findings = runRule(serviceFields, [
      withSpec({ ports: [{ port: 80 }, { port: 443 }] }),
      withSpec({ ports: [{ name: 'a', port: 80 }, { name: 'a', port: 80 }], externalTrafficPolicy: 'Local' }),
    ]);
    expect(findings.map((f) => f.path)).toEqual(['spec.ports[0].name', 'spec.ports[1].name', 'spec.externalTrafficPolicy', 'spec.ports[1].name', 'spec.ports[1]']);
  });
});

import { podSpecFields } from '../../../lib/validation/rules/pod-spec-fields';
import { KubeObject } from '../../../lib/manifest/types';
import { container, deployment, runRule } from '../helpers';

function job(podSpec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'seed' }, spec: { template: { spec: { containers: [container()], ...podSpec } } } };
}

describe('pod-spec-fields', () => {
  it('passes for Deployments without restartPolicy and Jobs with Never, with valid volumes', () => {
    const volumes = [{ name: 'secret', secret: { secretName: 's', defaultMode: 0o440, items: [{ key: 'password', path: 'db/password' }] } }, { name: 'scratch' }];
    expect(runRule(podSpecFields, [deployment({ podSpec: { volumes, dnsPolicy: 'ClusterFirst' } }), job({ restartPolicy: 'Never', activeDeadlineSeconds: 60 })])).toEqual([]);
  });

  it('rejects a restart policy the controller does not allow: Sometimes, OnFailure in a Deployment, Always or none in a Job', () => {
    const findings = runRule(podSpecFields, [
      deployment({ name: 'a', podSpec: { restartPolicy: 'Sometimes' } }),
      deployment({ name: 'b', podSpec: { restartPolicy: 'OnFailure' } }),
      job({ restartPolicy: 'Always' }),
      job({}),
    ]);
    expect(findings.map((f) => f.path)).toEqual(Array(4).fill('spec.template.spec.restartPolicy'));
    expect(findings[3].message).toContain('is not set (it defaults to Always), but the pods of a Job must finish: it must be OnFailure or Never; the API server rejects it');
  });

  it('rejects item paths that leave the volume, two sources in one volume and file modes above 0777', () => {
    const findings = runRule(podSpecFields, [deployment({ podSpec: { volumes: [
      { name: 'secret', secret: { secretName: 's', defaultMode: 0o1000, items: [{ key: 'a', path: '../a' }, { key: 'b', path: '/b' }] } },
      { name: 'both', emptyDir: {}, configMap: { name: 'c' } },
    ] } })]);
    expect(findings.map((f) => f.path)).toEqual([
      'spec.template.spec.volumes[0].secret.defaultMode',
      'spec.template.spec.volumes[0].secret.items[0].path',
      'spec.template.spec.volumes[0].secret.items[1].path',
      'spec.template.spec.volumes[1].configMap',
    ]);
  });

  it('rejects activeDeadlineSeconds in a Deployment and an unknown dnsPolicy', () => {
    expect(runRule(podSpecFields, [deployment({ podSpec: { activeDeadlineSeconds: 30, dnsPolicy: 'ClusterFirstt' } })]).map((f) => f.path))
      .toEqual(['spec.template.spec.dnsPolicy', 'spec.template.spec.activeDeadlineSeconds']);
  });

  it('rejects names of other objects that are not DNS-1123 subdomains, naming the field and the value', () => {
    const podSpec = { serviceAccountName: '${KSA_NAME}', nodeName: 'node_1', priorityClassName: 'High', runtimeClassName: 'gVisor', hostAliases: [{ ip: '10.0.0.1', hostnames: ['ok.local', 'Db.local'] }] };
    const findings = runRule(podSpecFields, [deployment({ podSpec })]);
    expect(findings.map((f) => [f.path, f.severity, f.apiServer])).toEqual([
      ['spec.template.spec.serviceAccountName', 'error', 'rejects'],
      ['spec.template.spec.nodeName', 'error', 'rejects'],
      ['spec.template.spec.priorityClassName', 'error', 'rejects'],
      ['spec.template.spec.runtimeClassName', 'error', 'rejects'],
      ['spec.template.spec.hostAliases[0].hostnames[1]', 'error', 'rejects'],
    ]);
    expect(findings[0].message).toBe('spec.template.spec.serviceAccountName "${KSA_NAME}" is not a DNS-1123 subdomain (lowercase letters, digits, "-" and ".", '
      + 'at most 253 characters), as the name of a serviceAccount must be; the API server rejects it. Substitute the placeholder before applying.');
    expect(findings[1].message).toMatch(/"node_1" .* the name of a node must be; .* Use the name of an existing object\.$/);
  });

  it('checks the deprecated serviceAccount alias only when serviceAccountName is empty, as the API server copies it', () => {
    expect(runRule(podSpecFields, [deployment({ podSpec: { serviceAccount: 'web_reader' } })]).map((f) => f.path)).toEqual(['spec.template.spec.serviceAccount']);
    expect(runRule(podSpecFields, [deployment({ podSpec: { serviceAccountName: 'web', serviceAccount: 'web_reader' } })])).toEqual([]);
    expect(runRule(podSpecFields, [deployment({ podSpec: { serviceAccountName: 'web.reader', nodeName: 'node-1.example.com' } })])).toEqual([]);
  });
});

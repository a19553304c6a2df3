import { configReferences } from '../../../lib/validation/rules/config-references';
import { KubeObject } from '../../../lib/manifest/types';
import { container, deployment, runRule, summarize } from '../helpers';

const secret: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, data: { password: 'c2VjcmV0' }, stringData: { user: 'app' } };
const configMap: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { 'app.toml': '' } };

function podWith(containerFields: Record<string, unknown>, podSpec: Record<string, unknown> = {}): KubeObject {
  return deployment({ containers: [container(containerFields)], podSpec });
}

describe('config-references', () => {
  it('passes for references to objects of the set, external objects and optional ones', () => {
    const pod = podWith({
      env: [
        { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
        { name: 'USER', valueFrom: { secretKeyRef: { name: 'db', key: 'user' } } },
        { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'api-token', key: 'token' } } },
        { name: 'FLAGS', valueFrom: { configMapKeyRef: { name: 'flags', key: 'all', optional: true } } },
      ],
      envFrom: [{ configMapRef: { name: 'settings' } }, { secretRef: { name: 'extra', optional: true } }],
    }, {
      imagePullSecrets: [{ name: 'registry' }],
      volumes: [
        { name: 'settings', configMap: { name: 'settings', items: [{ key: 'app.toml', path: 'app.toml' }] } },
        { name: 'all', projected: { sources: [{ secret: { name: 'db' } }, { configMap: { name: 'settings' } }] } },
      ],
    });
    const externals = [{ kind: 'Secret', name: 'api-token' }, { kind: 'Secret', name: 'registry' }];
    expect(runRule(configReferences, [secret, configMap, pod], externals)).toEqual([]);
  });

  it('reports Secrets and ConfigMaps that are neither in the set nor external', () => {
    const pod = podWith(
      { env: [{ name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }], envFrom: [{ configMapRef: { name: 'settings' } }] },
      { volumes: [{ name: 'tls', secret: { secretName: 'tls' } }, { name: 'p', projected: { sources: [{ configMap: { name: 'ca' } }] } }], imagePullSecrets: [{ name: 'registry' }] },
    );
    const findings = runRule(configReferences, [pod]);
    expect(summarize(findings)).toEqual([
      { rule: 'config-references', path: 'spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef.name', severity: 'error' },
      { rule: 'config-references', path: 'spec.template.spec.containers[0].envFrom[0].configMapRef.name', severity: 'error' },
      { rule: 'config-references', path: 'spec.template.spec.volumes[0].secret.secretName', severity: 'error' },
      { rule: 'config-references', path: 'spec.template.spec.volumes[1].projected.sources[0].configMap.name', severity: 'error' },
      { rule: 'config-references', path: 'spec.template.spec.imagePullSecrets[0].name', severity: 'warning' },
    ]);
    expect(findings[0].message).toMatch(/Secret db.*CreateContainerConfigError.*--external Secret\/db.*optional: true/);
    expect(findings[2].message).toContain('ContainerCreating');
    expect(findings[4].message).toContain('ImagePullBackOff');
  });

  it('looks Secrets up in the pod\'s namespace only', () => {
    const elsewhere: KubeObject = { ...secret, metadata: { name: 'db', namespace: 'other' } };
    const pod = podWith({ env: [{ name: 'P', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }] });
    expect(runRule(configReferences, [elsewhere, pod])).toHaveLength(1);
  });

  it('reports keys missing from Secrets and ConfigMaps of the set', () => {
    const pod = podWith(
      { env: [{ name: 'P', valueFrom: { secretKeyRef: { name: 'db', key: 'passwd' } } }] },
      { volumes: [{ name: 's', configMap: { name: 'settings', items: [{ key: 'app.yaml', path: 'app.yaml' }] } }] },
    );
    const findings = runRule(configReferences, [secret, configMap, pod]);
    expect(summarize(findings)).toEqual([
      { rule: 'config-references', path: 'spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef.key', severity: 'error' },
      { rule: 'config-references', path: 'spec.template.spec.volumes[0].configMap.items[0].key', severity: 'error' },
    ]);
    expect(findings[0].message).toMatch(/key "passwd" of Secret db, which has only password, user/);
  });
});

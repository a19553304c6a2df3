import { volumeMounts } from '../../../lib/validation/rules/volume-mounts';
import { container, deployment, runRule, summarize, workload } from '../helpers';

describe('volume-mounts', () => {
  it('passes for mounts of pod volumes and of StatefulSet volumeClaimTemplates', () => {
    const statefulSet = workload('StatefulSet', {
      containers: [container({ volumeMounts: [{ name: 'data', mountPath: '/data' }, { name: 'config', mountPath: '/etc/app' }] })],
      podSpec: { volumes: [{ name: 'config', configMap: { name: 'app' } }] },
      spec: { volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'] } }] },
    });
    expect(runRule(volumeMounts, [statefulSet])).toEqual([]);
  });

  it('reports a mount of an unknown volume', () => {
    const findings = runRule(volumeMounts, [deployment({
      containers: [container(), container({ name: 'sidecar', volumeMounts: [{ name: 'cache', mountPath: '/cache' }] })],
      podSpec: { volumes: [{ name: 'config', emptyDir: {} }] },
    })]);
    expect(summarize(findings)).toEqual([{ rule: 'volume-mounts', path: 'spec.template.spec.containers[1].volumeMounts[0].name', severity: 'error' }]);
    expect(findings[0].message).toMatch(/mounts volume "cache", which is neither in spec\.template\.spec\.volumes \(available: config\); the API server rejects it/);
  });

  it('reports duplicated mount paths and duplicated volume names', () => {
    const findings = runRule(volumeMounts, [deployment({
      containers: [container({ volumeMounts: [{ name: 'a', mountPath: '/data' }, { name: 'b', mountPath: '/data' }] })],
      podSpec: { volumes: [{ name: 'a', emptyDir: {} }, { name: 'b', emptyDir: {} }, { name: 'a', emptyDir: {} }] },
    })]);
    expect(summarize(findings)).toEqual([
      { rule: 'volume-mounts', path: 'spec.template.spec.volumes[2].name', severity: 'error' },
      { rule: 'volume-mounts', path: 'spec.template.spec.containers[0].volumeMounts[1].mountPath', severity: 'error' },
    ]);
    expect(findings[1].message).toContain('/data of container app is already used by volumeMounts[0]');
  });
});

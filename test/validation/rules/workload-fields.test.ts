import { workloadFields } from '../../../lib/validation/rules/workload-fields';
import { deployment, runRule, workload } from '../helpers';

describe('workload-fields', () => {
  it('passes for the rollout settings the constructs write and a StatefulSet with claim templates', () => {
    expect(runRule(workloadFields, [
      deployment({ spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: '0%' } }, minReadySeconds: 10 } }),
      workload('StatefulSet', { spec: { podManagementPolicy: 'Parallel', volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }] } }),
    ])).toEqual([]);
  });

  it('rejects maxSurge 0 with maxUnavailable 0, a percentage without %, and more than 100%', () => {
    const findings = runRule(workloadFields, [
      deployment({ name: 'a', spec: { strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } } } }),
      deployment({ name: 'b', spec: { strategy: { rollingUpdate: { maxSurge: '25', maxUnavailable: '150%' } } } }),
    ]);
    expect(findings.map((f) => f.path)).toEqual([
      'spec.strategy.rollingUpdate.maxUnavailable',
      'spec.strategy.rollingUpdate.maxSurge',
      'spec.strategy.rollingUpdate.maxUnavailable',
    ]);
    expect(findings[0].message).toContain('maxSurge and maxUnavailable are both 0 (0, 0)');
  });

  it('rejects minReadySeconds at or above the default progress deadline, and malformed selector expressions', () => {
    const findings = runRule(workloadFields, [deployment({ selector: { matchExpressions: [{ key: 'a', operator: 'Equals' }, { key: 'b', operator: 'In', values: [] }] }, spec: { minReadySeconds: 600 } })]);
    expect(findings.map((f) => f.message.split(';')[0])).toEqual([
      'spec.selector.matchExpressions[0].operator is "Equals", which is not one of In, NotIn, Exists, DoesNotExist',
      'spec.selector.matchExpressions[1] uses In without values',
      'spec.progressDeadlineSeconds (600, the default) is not greater than spec.minReadySeconds (600)',
    ]);
  });

  it('rejects StatefulSet policies it does not know and claim templates without modes or storage', () => {
    const findings = runRule(workloadFields, [workload('StatefulSet', { spec: {
      podManagementPolicy: 'Random', updateStrategy: { type: 'OnDelete', rollingUpdate: {} },
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: [] } }],
    } })]);
    expect(findings.map((f) => f.path)).toEqual([
      'spec.podManagementPolicy',
      'spec.updateStrategy.rollingUpdate',
      'spec.volumeClaimTemplates[0].spec.accessModes',
      'spec.volumeClaimTemplates[0].spec.resources.requests.storage',
    ]);
  });
});

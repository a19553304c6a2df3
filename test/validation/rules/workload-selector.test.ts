import { workloadSelector } from '../../../lib/validation/rules/workload-selector';
import { deployment, runRule, summarize, workload } from '../helpers';
import { KubeObject } from '../../../lib/manifest/types';

describe('workload-selector', () => {
  it('passes when matchLabels and matchExpressions select the template labels', () => {
    const objects = [
      deployment({ labels: { app: 'web', tier: 'front' }, selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }] } }),
      workload('StatefulSet', { name: 'db', labels: { app: 'db' }, selector: { matchExpressions: [{ key: 'canary', operator: 'DoesNotExist' }, { key: 'app', operator: 'Exists' }] } }),
    ];
    expect(runRule(workloadSelector, objects)).toEqual([]);
  });

  it('reports a matchLabels value that differs from the template', () => {
    const findings = runRule(workloadSelector, [deployment({ labels: { app: 'web' }, selector: { matchLabels: { app: 'website' } } })]);
    expect(summarize(findings)).toEqual([{ rule: 'workload-selector', path: 'spec.selector', severity: 'error' }]);
    expect(findings[0].apiServer).toBe('rejects');
    expect(findings[0].object).toBe('Deployment default/web');
    expect(findings[0].message).toMatch(/app=website.*does not match.*spec\.template\.metadata\.labels \(app=web\).*rejects/);
  });

  it('reports a matchExpression the template fails', () => {
    const findings = runRule(workloadSelector, [workload('DaemonSet', { selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['x'] }, { key: 'tier', operator: 'Exists' }] } })]);
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toContain('tier Exists');
  });

  it('reports missing and empty selectors of apps/v1 workloads', () => {
    const missing = deployment();
    delete (missing.spec as Record<string, unknown>).selector;
    const empty = deployment({ name: 'empty', selector: {} });
    const findings = runRule(workloadSelector, [missing, empty]);
    expect(findings.map((f) => [f.object, f.message.split(';')[0]])).toEqual([
      ['Deployment default/web', 'Deployment has no spec.selector'],
      ['Deployment default/empty', 'spec.selector is empty'],
    ]);
  });

  it('checks the jobTemplate of a CronJob only when it sets a selector', () => {
    const cronJob = (selector?: Record<string, unknown>) => ({
      apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'nightly' },
      spec: { schedule: '0 3 * * *', jobTemplate: { spec: { ...(selector ? { selector, manualSelector: true } : {}), template: { metadata: { labels: { job: 'nightly' } }, spec: { containers: [] } } } } },
    });
    expect(runRule(workloadSelector, [cronJob()])).toEqual([]);
    const findings = runRule(workloadSelector, [cronJob({ matchLabels: { job: 'daily' } })]);
    expect(summarize(findings)).toEqual([{ rule: 'workload-selector', path: 'spec.jobTemplate.spec.selector', severity: 'error' }]);
  });

  describe('ReplicationController', () => {
    function rc(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): KubeObject {
      return {
        apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'web' },
        spec: { ...(selector ? { selector } : {}), template: { ...(labels ? { metadata: { labels } } : {}), spec: { containers: [{ name: 'app', image: 'app:1' }] } } },
      };
    }

    it('accepts a selector the template labels match, and no selector (defaulted to the template labels)', () => {
      expect(runRule(workloadSelector, [rc({ app: 'web' }, { app: 'web', tier: 'front' }), rc(undefined, { app: 'web' })])).toEqual([]);
    });

    it('rejects no selector with no template labels: the default selector would be empty', () => {
      const findings = runRule(workloadSelector, [rc(undefined, undefined)]);
      expect(summarize(findings)).toEqual([{ rule: 'workload-selector', path: 'spec.selector', severity: 'error' }]);
      expect(findings[0].apiServer).toBe('rejects');
      expect(findings[0].message).toMatch(/^ReplicationController has no spec.selector and no labels at spec.template.metadata.labels to default it from; the API server rejects it/);
    });

    it('rejects a selector the template labels do not match', () => {
      const findings = runRule(workloadSelector, [rc({ app: 'other' }, { app: 'web' })]);
      expect(findings.map((f) => f.message)).toEqual([
        'spec.selector (app=other) does not match the template labels at spec.template.metadata.labels (app=web); the API server rejects it '
        + '("`selector` does not match template `labels`"). Make the selector a subset of the template labels.',
      ]);
    });
  });
});

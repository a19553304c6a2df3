import { workloadSelector } from '../../../lib/validation/rules/workload-selector';
import { deployment, runRule, summarize, workload } from '../helpers';

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
});

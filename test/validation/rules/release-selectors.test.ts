import { RELEASE_VERSION_LABEL } from '../../../lib/manifest/release-labels';
import { releaseVersionSelectors } from '../../../lib/validation/rules/release-selectors';
import { deployment, runRule, summarize } from '../helpers';

const NAME = 'app.kubernetes.io/name';
const labels = (v: string) => ({ [NAME]: 'web', [RELEASE_VERSION_LABEL]: v });
const version = (v: string) => deployment({ name: `web-${v}-deployment`, labels: labels(v) });

describe('release-version-selectors', () => {
  it('passes for versions that each select by their own version label, and ignores unversioned apps', () => {
    const objects = [version('blue'), version('green'), deployment({ name: 'api', labels: { [NAME]: 'api' } })];
    expect(runRule(releaseVersionSelectors, objects)).toEqual([]);
  });

  it('reports a version whose selector lacks its version label, which also takes in the other version', () => {
    const loose = deployment({ name: 'web-green-deployment', labels: labels('green'), selector: { matchLabels: { [NAME]: 'web' } } });
    const findings = runRule(releaseVersionSelectors, [version('blue'), loose]);
    expect(summarize(findings)).toEqual([
      { rule: 'release-version-selectors', path: 'spec.selector.matchLabels', severity: 'error' },
      { rule: 'release-version-selectors', path: 'spec.selector', severity: 'error' },
    ]);
    expect(findings.map((f) => f.object)).toEqual(['Deployment default/web-green-deployment', 'Deployment default/web-green-deployment']);
    expect(findings[0].message).toMatch(/pods are version green.*does not hold release\.habr-k8s\.io\/version=green.*immutable/);
    expect(findings[1].message).toMatch(/also matches the pods of Deployment web-blue-deployment \(version blue\).*fight over the pods/);
  });

  it('reports a version selector even when it is alone: the next version would overlap', () => {
    const loose = deployment({ name: 'web-blue-deployment', labels: labels('blue'), selector: { matchLabels: { [NAME]: 'web' } } });
    expect(summarize(runRule(releaseVersionSelectors, [loose]))).toEqual([{ rule: 'release-version-selectors', path: 'spec.selector.matchLabels', severity: 'error' }]);
  });

  it('reports a workload from before the versions whose selector matches their pods', () => {
    const old = deployment({ name: 'web-deployment', labels: { [NAME]: 'web' } });
    const findings = runRule(releaseVersionSelectors, [old, version('blue'), version('green')]);
    expect(findings.map((f) => [f.object, f.path])).toEqual([
      ['Deployment default/web-deployment', 'spec.selector'],
      ['Deployment default/web-deployment', 'spec.selector'],
    ]);
    expect(findings[0].message).toMatch(/Deployment web-blue-deployment \(version blue\).*delete a workload that predates the versions/);
  });

  it('does not compare across namespaces', () => {
    const old = deployment({ name: 'web-deployment', namespace: 'other', labels: { [NAME]: 'web' } });
    expect(runRule(releaseVersionSelectors, [old, version('blue')])).toEqual([]);
  });
});

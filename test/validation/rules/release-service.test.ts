import { RELEASE_MIXED_VERSIONS_ANNOTATION, RELEASE_VERSION_LABEL } from '../../../lib/manifest/release-labels';
import { releaseServiceSelector } from '../../../lib/validation/rules/release-service';
import { KubeObject } from '../../../lib/manifest/types';
import { deployment, runRule, service, summarize } from '../helpers';

const NAME = 'app.kubernetes.io/name';
const version = (v: string, app = 'web') => deployment({ name: `${app}-${v}-deployment`, labels: { [NAME]: app, [RELEASE_VERSION_LABEL]: v } });
const blue = version('blue');
const green = version('green');

function annotated(object: KubeObject, annotations: Record<string, string>): KubeObject {
  return { ...object, metadata: { ...object.metadata, annotations } };
}

describe('release-service-selector', () => {
  it('passes for Services that select one version each, and for unversioned apps', () => {
    const objects = [
      blue, green,
      service({ name: 'web-service', selector: { [NAME]: 'web', [RELEASE_VERSION_LABEL]: 'blue' } }),
      service({ name: 'web-preview-service', selector: { [NAME]: 'web', [RELEASE_VERSION_LABEL]: 'green' } }),
      deployment({ name: 'api', labels: { [NAME]: 'api' } }), deployment({ name: 'api-2', labels: { [NAME]: 'api', tier: 'x' } }),
      service({ name: 'api', selector: { [NAME]: 'api' } }),
    ];
    expect(runRule(releaseServiceSelector, objects)).toEqual([]);
  });

  it('reports a Service that selects two versions of one app', () => {
    const findings = runRule(releaseServiceSelector, [blue, green, service({ name: 'web-service', selector: { [NAME]: 'web' } })]);
    expect(summarize(findings)).toEqual([{ rule: 'release-service-selector', path: 'spec.selector', severity: 'error' }]);
    expect(findings[0].object).toBe('Service default/web-service');
    expect(findings[0].apiServer).toBe('accepts');
    expect(findings[0].message).toMatch(/matches the pods of 2 versions of app web: blue \(Deployment web-blue-deployment\), green \(Deployment web-green-deployment\).*Add release\.habr-k8s\.io\/version=<the active version>/);
  });

  it('reports each app whose versions one Service mixes', () => {
    const front = (app: string, v: string) => deployment({ name: `${app}-${v}-deployment`, labels: { [NAME]: app, [RELEASE_VERSION_LABEL]: v, tier: 'front' } });
    const objects = [front('web', 'blue'), front('web', 'green'), front('api', 'v1'), front('api', 'v2'), service({ name: 'all', selector: { tier: 'front' } })];
    const findings = runRule(releaseServiceSelector, objects);
    expect(findings.map((f) => f.message.match(/of app (\w+)/)?.[1])).toEqual(['web', 'api']);
  });

  it('accepts a Service annotated as mixing versions on purpose (a canary by replica ratio)', () => {
    const mixed = annotated(service({ name: 'web-service', selector: { [NAME]: 'web' } }), { [RELEASE_MIXED_VERSIONS_ANNOTATION]: 'true' });
    expect(runRule(releaseServiceSelector, [blue, green, mixed])).toEqual([]);
  });
});

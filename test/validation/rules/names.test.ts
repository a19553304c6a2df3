import { isDns1035Label, isDns1123Label, isDns1123Subdomain, labelKeyProblem, labelValueProblem, names } from '../../../lib/validation/rules/names';
import { KubeObject } from '../../../lib/manifest/types';
import { deployment, runRule, service, summarize, workload } from '../helpers';

describe('names', () => {
  it('knows the three DNS name formats', () => {
    expect(isDns1035Label('web-1')).toBe(true);
    expect(isDns1035Label('1web')).toBe(false);
    expect(isDns1123Label('1web')).toBe(true);
    expect(isDns1123Label('web.v1')).toBe(false);
    expect(isDns1123Subdomain('web.v1')).toBe(true);
    expect(isDns1123Subdomain('Web')).toBe(false);
    expect(isDns1123Label('a'.repeat(64))).toBe(false);
  });

  it('knows label key and value syntax', () => {
    expect(labelKeyProblem('app.kubernetes.io/name')).toBeUndefined();
    expect(labelKeyProblem('Example.com/name')).toContain('prefix');
    expect(labelKeyProblem('-app')).toContain('name part');
    expect(labelValueProblem('')).toBeUndefined();
    expect(labelValueProblem('v1.2_3')).toBeUndefined();
    expect(labelValueProblem('v1 beta')).toContain('letters, digits');
    expect(labelValueProblem(1.5)).toContain('not a string');
  });

  it('passes for valid names and labels', () => {
    const objects = [
      deployment({ name: 'web.v2', labels: { 'app.kubernetes.io/name': 'web', version: '' } }),
      service({ name: 'web' }),
      workload('StatefulSet', { name: 'db-0' }),
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'system:web-reader' } },
      { apiVersion: 'batch/v1', kind: 'Job', metadata: { generateName: 'migrate-' } },
    ];
    expect(runRule(names, objects)).toEqual([]);
  });

  it('rejects Service names that are not DNS-1035 labels and StatefulSet names with dots', () => {
    const findings = runRule(names, [service({ name: '1-web' }), workload('StatefulSet', { name: 'db.primary' }), deployment({ name: 'Web_App' })]);
    expect(summarize(findings)).toEqual([
      { rule: 'names', path: 'metadata.name', severity: 'error' },
      { rule: 'names', path: 'metadata.name', severity: 'error' },
      { rule: 'names', path: 'metadata.name', severity: 'error' },
    ]);
    expect(findings[0].message).toMatch(/"1-web" is not a DNS-1035 label.*rejects/);
    expect(findings[1].message).toContain('pod hostnames derive from it');
    expect(findings[2].message).toContain('e.g. "web-app"');
  });

  it('rejects a missing name and an invalid namespace', () => {
    const objects: KubeObject[] = [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: 'Shop' } }];
    expect(summarize(runRule(names, objects)).map((f) => f.path)).toEqual(['metadata.name', 'metadata.namespace']);
  });

  it('rejects invalid label keys and values in metadata, templates and selectors', () => {
    const broken = deployment({ labels: { app: 'web', version: 1.0 as unknown as string } });
    (broken.metadata as Record<string, unknown>).labels = { 'My.Company/team': 'a' };
    const findings = runRule(names, [broken, service({ selector: { app: 'web app' } })]);
    expect(findings.map((f) => f.path)).toEqual([
      'metadata.labels["My.Company/team"]',
      'spec.template.metadata.labels.version',
      'spec.selector.matchLabels.version',
      'spec.selector.app',
    ]);
    expect(findings[1].message).toMatch(/label value 1 of "version".*not a string \(quote it in YAML\).*rejects/);
  });
});

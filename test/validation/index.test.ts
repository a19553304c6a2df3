import * as path from 'path';
import { formatReport, RULES, validateObjects } from '../../lib/validation';
import { loadManifestFolder } from '../../lib/manifest/load';
import { Finding } from '../../lib/manifest/types';
import { deployment, service, sourced } from './helpers';

describe('validateObjects', () => {
  it('has unique rule ids and describes every rule', () => {
    expect(new Set(RULES.map((rule) => rule.id)).size).toBe(RULES.length);
    for (const rule of RULES) {
      expect(rule.summary).not.toHaveLength(0);
      expect(rule.breaks).not.toHaveLength(0);
    }
  });

  it('collects every finding, sorted by apply order, then path, then rule', () => {
    const report = validateObjects(loadManifestFolder(path.join(__dirname, '../fixtures/broken/mixed')));
    expect(report.findings.map((f) => [f.object, f.path, f.rule, f.severity])).toEqual([
      ['Deployment default/web', 'spec.template.spec.containers[0].readinessProbe.httpGet.port', 'probe-ports', 'error'],
      ['Service default/web', 'spec.selector', 'service-selector', 'error'],
      ['PodDisruptionBudget default/web', 'spec.maxUnavailable', 'pdb', 'error'],
    ]);
    expect(report).toMatchObject({ objects: 4, errors: 3, warnings: 0 });
  });

  it('merges and sorts the findings of extra checks', () => {
    const extra: Finding = { rule: 'schema', severity: 'warning', source: '00-deployment.yaml', object: 'Deployment default/web', path: 'spec', message: 'extra', apiServer: 'accepts' };
    const report = validateObjects(sourced(deployment(), service({ selector: { app: 'nothing' } })), { extraChecks: [() => [extra]] });
    expect(report.findings.map((f) => f.rule)).toEqual(['schema', 'service-selector']);
    expect(report).toMatchObject({ errors: 1, warnings: 1 });
  });

  it('passes external objects to the rules', () => {
    const pod = deployment({ podSpec: { volumes: [{ name: 'tls', secret: { secretName: 'tls' } }] } });
    expect(validateObjects(sourced(pod)).errors).toBe(1);
    expect(validateObjects(sourced(pod), { externalObjects: [{ kind: 'Secret', name: 'tls' }] }).errors).toBe(0);
  });
});

describe('formatReport', () => {
  it('groups findings by source, one line each, and ends with the summary', () => {
    const report = validateObjects(loadManifestFolder(path.join(__dirname, '../fixtures/broken/mixed')));
    const lines = formatReport(report).split('\n');
    expect(lines[0]).toBe('01-web.yaml');
    expect(lines[1]).toMatch(/^ {2}error {3}Deployment default\/web spec\.template\.spec\.containers\[0\]\.readinessProbe\.httpGet\.port: .*\[probe-ports; API server accepts\]$/);
    expect(lines[2]).toMatch(/^ {2}error {3}Service default\/web spec\.selector: /);
    expect(lines).toContain('02-list.json');
    expect(lines[lines.length - 1]).toBe('4 objects checked, 3 errors, 0 warnings');
  });

  it('is only the summary when nothing is found', () => {
    expect(formatReport({ objects: 2, findings: [], errors: 0, warnings: 0 })).toBe('2 objects checked, 0 errors, 0 warnings');
  });
});

describe('validateObjects on a field the API server rejects', () => {
  it('drops "the API server accepts it" findings inside that field: the server refuses it whole', () => {
    const object = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{
        name: 'app', image: 'example/app:1.0', readinessProbe: { httpGet: { path: '/', port: 0 } },
        env: [{ name: 'X', valueFrom: { fieldRef: { fieldPath: 'metadata.name' }, secretKeyRef: { name: 'missing', key: 'k' } } }],
      }] } } },
    };
    const findings = validateObjects([{ object, source: 'web.yaml', order: 0 }], { schema: false }).findings;
    expect(findings.map((f) => [f.rule, f.path, f.apiServer])).toEqual([
      ['container-fields', 'spec.template.spec.containers[0].env[0].valueFrom', 'rejects'],
      ['probe-fields', 'spec.template.spec.containers[0].readinessProbe.httpGet.port', 'rejects'],
    ]);
  });
});

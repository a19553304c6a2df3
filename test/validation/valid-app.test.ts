import * as path from 'path';
import { validateObjects } from '../../lib/validation';
import { loadManifestFolder } from '../../lib/manifest/load';

const APP = path.join(__dirname, '../fixtures/valid/app');
const EXTERNAL_SECRETS = [
  { kind: 'Secret', namespace: 'shop', name: 'db-credentials' },
  { kind: 'Secret', namespace: 'shop', name: 'registry-credentials' },
];

describe('a realistic valid app', () => {
  it('has zero findings', () => {
    const objects = loadManifestFolder(APP);
    expect(objects.map((o) => o.object.kind)).toEqual(expect.arrayContaining(['Namespace', 'Deployment', 'Service', 'Ingress', 'StatefulSet', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'NetworkPolicy']));
    expect(validateObjects(objects, { externalObjects: EXTERNAL_SECRETS }).findings).toEqual([]);
  });

  it('needs its external Secrets declared', () => {
    const report = validateObjects(loadManifestFolder(APP));
    expect(new Set(report.findings.map((f) => f.rule))).toEqual(new Set(['config-references']));
    expect(report.findings.some((f) => f.message.includes('Secret db-credentials'))).toBe(true);
  });
});

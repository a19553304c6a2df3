import { validateObjects } from '../../../lib/validation';
import { duplicateObjects } from '../../../lib/validation/rules/duplicate-objects';
import { KubeObject } from '../../../lib/manifest/types';
import { deployment, runRule, service } from '../helpers';

describe('duplicate-objects', () => {
  it('passes for the same name in other kinds, groups and namespaces, and for generateName', () => {
    const job = (generateName: string): KubeObject => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { generateName } });
    expect(runRule(duplicateObjects, [deployment(), service(), deployment({ namespace: 'shop' }), job('seed-'), job('seed-')])).toEqual([]);
  });

  it('reports the same group, kind, namespace and name twice (default namespace when absent) as an error', () => {
    const findings = runRule(duplicateObjects, [deployment(), deployment({ namespace: 'default' })]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'duplicate-objects', severity: 'error', apiServer: 'accepts', object: 'Deployment default/web', source: '01-deployment.yaml' });
    expect(findings[0].message).toBe('Deployment default/web (apps) is defined twice: also in 00-deployment.yaml; the API server accepts each apply, but the later definition overwrites the earlier one, so one of them never takes effect. Rename one of the objects or remove the copy.');
  });

  it('catches two charts emitting the same objects (two WebApps named api)', () => {
    const objects = [deployment({ name: 'api-deployment' }), deployment({ name: 'api-deployment' })].map((object, order) => ({ object, source: `0${order}-chart${order}.k8s.yaml`, order }));
    expect(validateObjects(objects, { schema: false }).findings.filter((f) => f.rule === 'duplicate-objects')).toHaveLength(1);
  });
});

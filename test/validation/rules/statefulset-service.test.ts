import { statefulSetService } from '../../../lib/validation/rules/statefulset-service';
import { runRule, service, summarize, workload } from '../helpers';

const db = workload('StatefulSet', { name: 'db', labels: { app: 'db' }, spec: { serviceName: 'db' } });

describe('statefulset-service', () => {
  it('passes with a headless Service selecting the pods', () => {
    expect(runRule(statefulSetService, [service({ name: 'db', selector: { app: 'db' }, clusterIP: 'None' }), db])).toEqual([]);
  });

  it('reports a serviceName naming no Service', () => {
    const findings = runRule(statefulSetService, [db]);
    expect(summarize(findings)).toEqual([{ rule: 'statefulset-service', path: 'spec.serviceName', severity: 'error' }]);
    expect(findings[0].message).toMatch(/Service db, which is not in namespace default.*DNS names.*do not resolve.*clusterIP: None/);
  });

  it('reports a Service that is not headless and one that does not select the pods', () => {
    const findings = runRule(statefulSetService, [service({ name: 'db', selector: { app: 'database' } }), db]);
    expect(findings.map((f) => f.message.split(';')[0])).toEqual([
      'spec.serviceName names Service db, which is not headless (spec.clusterIP is not None)',
      'spec.serviceName names Service db, whose selector does not select this StatefulSet\'s pods (app=db)',
    ]);
  });
});

import { validateObjects } from '../../lib/validation';
import { KubeObject, SourcedObject } from '../../lib/manifest/types';
import { deployment, networkPolicy, service } from './helpers';
import { RuleScope } from '../../lib/validation/scope';

function inFiles(...files: [string, KubeObject[]][]): SourcedObject[] {
  let order = 0;
  return files.flatMap(([source, objects]) => objects.map((object) => ({ object, source, order: order++ })));
}

const rulesOnly = (objects: SourcedObject[], scope?: RuleScope) => validateObjects(objects, { schema: false, scope }).findings;

describe('rule scopes', () => {
  // Two unrelated examples, each a Deployment "web" and a Service selecting it, but with other labels.
  const examples = inFiles(
    ['a/app.yaml', [deployment({ labels: { app: 'a' } }), service({ selector: { app: 'a' } })]],
    ['b/app.yaml', [deployment({ labels: { app: 'b' } }), service({ selector: { app: 'b' }, ports: [{ name: 'http', port: 80, targetPort: 9090 }] })]],
  );

  it('sees the whole folder as one app by default: cross-object rules fire across files', () => {
    expect(rulesOnly(examples).map((f) => [f.rule, f.source])).toEqual([
      ['duplicate-objects', 'b/app.yaml'],
      ['duplicate-objects', 'b/app.yaml'],
      ['service-target-port', 'b/app.yaml'],
    ]);
  });

  it('with scope "file", checks each file as its own app', () => {
    const findings = rulesOnly(examples, 'file');
    expect(findings.map((f) => [f.rule, f.source, f.object])).toEqual([['service-target-port', 'b/app.yaml', 'Service default/web']]);
    expect(findings[0].message).toContain('9090');
  });

  it('with scope "folder", checks each folder as its own app: an example split into files stays one app', () => {
    const split = inFiles(
      ['a/deployment.yaml', [deployment({ labels: { app: 'a' } })]], ['a/service.yaml', [service({ selector: { app: 'a' } })]],
      ['b/deployment.yaml', [deployment({ labels: { app: 'b' } })]], ['b/service.yaml', [service({ selector: { app: 'b' }, ports: [{ name: 'http', port: 80, targetPort: 9090 }] })]],
    );
    expect(rulesOnly(split, 'folder').map((f) => [f.rule, f.source])).toEqual([['service-target-port', 'b/service.yaml']]);
    expect(rulesOnly(split, 'file').map((f) => f.rule)).toEqual(['service-selector', 'service-selector']);
  });

  it('reports a finding about identical copies of an object once, naming where the copies are', () => {
    const broken = service({ selector: { app: 'missing' } });
    const copies = inFiles(...['x.yaml', 'y.yaml', 'z.yaml'].map((file): [string, KubeObject[]] => [file, [structuredClone(broken)]]));
    const findings = rulesOnly(copies, 'file');
    expect(findings.map((f) => [f.rule, f.source])).toEqual([['service-selector', 'x.yaml']]);
    expect(findings[0].message).toMatch(/ \(Reported once: an identical Service default\/web is also in y\.yaml, z\.yaml\.\)$/);
  });

  it('keeps the findings of copies that differ, and of copies whose finding differs', () => {
    const other = service({ selector: { app: 'other' } });
    const findings = rulesOnly(inFiles(['x.yaml', [service({ selector: { app: 'missing' } })]], ['y.yaml', [other]]), 'file');
    expect(findings.map((f) => [f.rule, f.source, f.message.includes('Reported once')])).toEqual([
      ['service-selector', 'x.yaml', false],
      ['service-selector', 'y.yaml', false],
    ]);
  });

  it('in one app, reports a cross-object finding about copies of a Service once, not once per copy', () => {
    const copy = () => service({ ports: [{ name: 'http', port: 80, targetPort: 9090 }] });
    const objects = inFiles(['web.yaml', [deployment()]], ['a/svc.yaml', [copy()]], ['b/svc.yaml', [copy()]], ['c/svc.yaml', [copy()]]);
    const findings = rulesOnly(objects).filter((f) => f.rule === 'service-target-port');
    expect(findings.map((f) => f.source)).toEqual(['a/svc.yaml']);
    expect(findings[0].message).toMatch(/\(Reported once: an identical Service default\/web is also in b\/svc\.yaml, c\/svc\.yaml\.\)$/);
  });

  describe('with the reachability rules, which pair pods, Services, fronts and policies', () => {
    const front: KubeObject = {
      apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web' },
      spec: { rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
    };
    const denyAll = networkPolicy('deny', { podSelector: {}, policyTypes: ['Ingress'] });
    const admitAll = networkPolicy('admit', { podSelector: {}, ingress: [{}] });
    const reachability = (objects: SourcedObject[], scope?: RuleScope) => rulesOnly(objects, scope).filter((f) => f.rule === 'front-reachability');

    it('unions the policies of every file of one app, and only of its own file with scope "file"', () => {
      const files = inFiles(['a/app.yaml', [deployment(), service(), front, denyAll]], ['b/policy.yaml', [admitAll]]);
      expect(reachability(files)).toEqual([]);
      expect(reachability(files, 'file').map((f) => [f.source, f.object])).toEqual([['a/app.yaml', 'Ingress default/web']]);
      expect(reachability(files, 'folder').map((f) => f.source)).toEqual(['a/app.yaml']);
    });

    it('reports a front copied into several examples once, naming the copies', () => {
      const example = (): KubeObject[] => [deployment(), service(), structuredClone(front), structuredClone(denyAll)];
      const findings = reachability(inFiles(['x.yaml', example()], ['y.yaml', example()]), 'file');
      expect(findings.map((f) => f.source)).toEqual(['x.yaml']);
      expect(findings[0].message).toMatch(/\(Reported once: an identical Ingress default\/web is also in y\.yaml\.\)$/);
    });
  });
});

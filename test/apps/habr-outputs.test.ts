import { App } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { HabrStack } from '../../apps/habr/stack';
import { STAGES } from '../../apps/habr/stages';
import { mermaidDiagram } from '../../lib/diff/diagram';
import { renderApp } from '../../lib/render/synthesize';

function render(stageName: string) {
  const app = new App();
  new HabrStack(app, STAGES[stageName]);
  return renderApp(app);
}

const SENSITIVE_NAME = /PASSWORD|SECRET|TOKEN|CREDENTIAL|PRIVATE|API_?KEY/i;

describe.each(Object.keys(STAGES))('the %s stage', (stageName) => {
  const rendered = render(stageName);

  test('no secret value is in the manifests: no Secret objects, no sensitive env literals', () => {
    expect(rendered.objects.filter(({ object }) => object.kind === 'Secret')).toEqual([]);
    const literals = rendered.files.flatMap((f) => [...f.content.matchAll(/- name: (\w+)\n\s+value: (.*)/g)])
      .map(([, name, value]) => ({ name, value }))
      .filter(({ name }) => SENSITIVE_NAME.test(name) && !name.endsWith('_FILE'));
    expect(literals).toEqual([]);
  });

  test('the architecture diagram shows every workload and every declared connection', () => {
    const diagram = mermaidDiagram(rendered.objects);
    // dev releases the frontend by a canary (v1, v2), prod backend and frontend blue/green.
    const released: Record<string, { backend: string[]; frontend: string[] }> = {
      dev: { backend: ['backend-deployment'], frontend: ['frontend-v1-deployment', 'frontend-v2-deployment'] },
      prod: { backend: ['backend-blue-deployment', 'backend-green-deployment'], frontend: ['frontend-blue-deployment', 'frontend-green-deployment'] },
    };
    const { backend, frontend } = released[stageName];
    // What forwards the public hosts: ingress-nginx's namespace in dev, the pods of the Gateway's data plane in prod.
    const front = ({ dev: 'ingress_nginx', prod: 'gateway_system_gateway_networking_k8s_io_gateway_name_public' } as Record<string, string>)[stageName];
    for (const workload of [...backend, 'worker-deployment', ...frontend, 'mongodb-statefulset', 'redis-statefulset']) {
      expect(diagram).toContain(`<br/>${workload}<br/>`);
    }
    const id = (name: string) => name.replace(/-/g, '_');
    const edges = [
      ...backend.flatMap((b) => [[id(b), '27017', 'mongodb_statefulset'], [id(b), '6379', 'redis_statefulset'], [front, '40001', id(b)]]),
      ['worker_deployment', '27017', 'mongodb_statefulset'],
      ['worker_deployment', '6379', 'redis_statefulset'],
      ...frontend.flatMap((f) => [...backend.map((b) => [id(f), '40001', id(b)]), [front, '40002', id(f)]]),
    ];
    for (const [from, port, to] of edges) {
      expect(diagram).toMatch(new RegExp(`${from} ==>\\|"${port}"\\| \\w*${to}`));
    }
  });
});

describe.each(Object.keys(STAGES))('the %s stage, as written', (stageName) => {
  const rendered = render(stageName);
  test.each(['1.1', '1.2'] as const)('every emitted document reads back as the object it came from (YAML %s)', (version) => {
    for (const manifest of rendered.manifests) {
      const file = rendered.files.find((f) => f.file === manifest.file)!;
      const documents = parseAllDocuments(file.content, { version }).map((d) => d.toJS());
      expect(documents).toEqual(manifest.objects);
    }
  });
});

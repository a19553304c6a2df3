import { App } from 'cdk8s';
import { ComposeExampleStack } from '../../apps/compose-example/stack';
import { DEV } from '../../apps/compose-example/stages';
import { renderApp } from '../../lib/render/synthesize';
import { find, findingLines } from '../helpers';

const app = new App();
new ComposeExampleStack(app, DEV);
const rendered = renderApp(app);
const objects = rendered.objects.map((o) => o.object);

test('the imported example passes whole-app validation with no finding but its unpinned build-only images (the importer warns of them too)', () => {
  expect(findingLines(rendered.report.findings)).toEqual(['api', 'web', 'queue'].map((name) =>
    `warning image-pinning Deployment compose-example/${name}-deployment spec.template.spec.containers[0].image`));
});

test('compose host names keep working: every served service has a Service named as its compose service', () => {
  expect(objects.filter((o) => o.kind === 'Service').map((o) => o.metadata?.name)).toEqual(['db', 'cache', 'api', 'web']);
  expect(find(objects, 'Service', 'db').spec.clusterIP).toBe('None');
  expect(find(objects, 'Service', 'api').spec.ports).toEqual([{ name: 'http', port: 8000, targetPort: 'http', protocol: 'TCP' }]);
});

test('depends_on became NetworkPolicy edges and the apply order; published ports are NodePorts in dev that admit any address on them', () => {
  expect(['api', 'web'].map((name) => find(objects, 'Service', name).spec.type)).toEqual(['NodePort', 'NodePort']);
  type Rule = { from: { podSelector?: { matchLabels: Record<string, string> }; ipBlock?: { cidr: string } }[]; ports: { port: number }[] };
  const from = (name: string) => (find(objects, 'NetworkPolicy', `${name}-network-policy`).spec.ingress ?? [])
    .map((rule: Rule) => `${rule.from[0].podSelector?.matchLabels['app.kubernetes.io/name'] ?? rule.from[0].ipBlock?.cidr}:${rule.ports.map((p) => p.port).join(',')}`);
  expect(from('db')).toEqual(['api:27017', 'queue:27017']);
  // The WebApp admits every address on its NodePort Service's port itself, before the edges the stack declares.
  expect(from('api')).toEqual(['0.0.0.0/0:8000', 'web:8000']);
  expect(from('web')).toEqual(['0.0.0.0/0:3000']);
  expect(rendered.files.map((f) => f.file)).toEqual(['00-platform.yaml', '01-db.yaml', '02-cache.yaml', '03-api.yaml', '04-web.yaml', '05-queue.yaml']);
});

/**
 * A user's app outside this repository that declares its chart values: a web app whose image,
 * replicas and memory are values in both stages, and whose prod stage adds an Ingress (a host
 * value and a structure of its own).
 */
import * as fs from 'fs';
import * as path from 'path';
import { outsideProject } from '../outside-project';

export const SHOP_MAIN = `import { App, Chart } from 'cdk8s';
import { chartValues, Peer, RestrictedNamespace, WebApp } from 'habr-k8s';

const STAGES = {
  prod: { image: { repository: 'registry.example.com/shop/web', tag: '1.4.0' }, replicas: 3, memory: '256Mi', host: 'shop.example.com' },
  dev: { image: { repository: 'docker.io/shop/web', tag: '1.4.0-dev' }, replicas: 1, memory: '128Mi' },
};

const stageName = process.env.STAGE ?? 'dev';
const settings = STAGES[stageName as keyof typeof STAGES];
if (!settings) throw new Error(\`unknown stage \${stageName}\`);
const app = new App();
const values = chartValues(app, settings, { name: 'shop', appVersion: '1.4.0', kinds: { memory: 'quantity' } });
const platform = new Chart(app, 'platform');
new RestrictedNamespace(platform, 'Namespace', { name: 'shop' });
const chart = new Chart(app, 'web', { namespace: 'shop', disableResourceNameHashes: true });
chart.addDependency(platform);
new WebApp(chart, 'Web', {
  name: 'web',
  image: \`\${values.image.repository}:\${values.image.tag}\`,
  replicas: values.replicas,
  port: 8080,
  resources: { requests: { cpu: '50m', memory: values.memory }, limits: { memory: values.memory } },
  ingress: 'host' in values ? { host: values.host, ingressClassName: 'nginx', controller: Peer.ingressController() } : undefined,
});
app.synth();
`;

/** A cdk8s project outside the repo whose cdk8s.yaml runs the shop app, `shop/main.ts`. */
export function shopProject(): { dir: string; entry: string } {
  const dir = outsideProject('helm-app-');
  fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), 'language: typescript\napp: npx ts-node shop/main.ts\noutput: dist\n');
  fs.mkdirSync(path.join(dir, 'shop'));
  const entry = path.join(dir, 'shop', 'main.ts');
  fs.writeFileSync(entry, SHOP_MAIN);
  return { dir, entry };
}

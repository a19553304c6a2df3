import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { composeFiles, formatCorpusFigures, measureComposeCorpus, publishedPortsReachable } from '../../bench/compose-corpus';
import * as composeParse from '../../lib/compose/parse';
import { ensureNetpolAnalyzer } from '../../tools/netpol-analyzer/analyzer';

const FIXTURES = path.resolve(__dirname, '../fixtures/compose');

describe('the compose corpus figures', () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'corpus-test-'));
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  test('compose files are found by compose\'s own names, in subfolders, sorted', () => {
    for (const name of ['a/docker-compose.yml', 'b/compose.yaml', 'b/c/docker-compose.prod.yml', 'b/notes.yml', 'd/compose.json']) {
      fs.mkdirSync(path.dirname(path.join(scratch, name)), { recursive: true });
      fs.writeFileSync(path.join(scratch, name), '');
    }
    expect(composeFiles(scratch)).toEqual(['a/docker-compose.yml', 'b/c/docker-compose.prod.yml', 'b/compose.yaml']);
  });

  test('the fixtures: every file imports and synthesizes; ports, images and objects are counted; the folder check sees each output', () => {
    const folders: string[] = [];
    const parses = jest.spyOn(composeParse, 'parseCompose');
    const apps = measureComposeCorpus(FIXTURES, (folder, app) => {
      folders.push(...fs.readdirSync(folder).filter((f) => f.endsWith('.yaml')).map((f) => `${app.file}:${f}`));
      return { passed: app.services - 1, total: app.services };
    });
    expect(apps.map((a) => [a.file, a.services, a.published.length, a.exposedPorts, a.images.length, a.knownImages, a.tableImages, a.objects, a.importError, a.synthError])).toEqual([
      ['features/docker-compose.yml', 7, 2, 1, 7, 2, 2, 23, undefined, undefined],
      ['published/docker-compose.yml', 3, 4, 4, 3, 2, 2, 14, undefined, undefined],
      ['shop/docker-compose.yml', 5, 2, 2, 2, 2, 2, 17, undefined, undefined],
    ]);
    expect(folders).toContain('shop/docker-compose.yml:00-platform.yaml');
    expect(apps[1].published).toEqual([{ workload: 'proxy', port: 80 }, { workload: 'app', port: 3000 }, { workload: 'app', port: 22 }, { workload: 'db', port: 5432 }]);
    // Each file is parsed once, for its import and its figures alike.
    expect(parses.mock.calls.map(([, file]) => path.relative(FIXTURES, file))).toEqual(['features/docker-compose.yml', 'published/docker-compose.yml', 'shop/docker-compose.yml']);
    parses.mockRestore();
    expect(formatCorpusFigures(apps).split('\n')).toEqual([
      'compose files: 3; imported: 3; synthesized and validated with no error: 3',
      'services (one workload each): 15',
      'published TCP ports: 8; exposed by a NodePort or LoadBalancer their policies admit: 7',
      'images (not built): 12; whose port or preset the importer knows: 6; in the table of image needs: 6',
      'objects written by the apps that synthesized: 54',
      'folder check: 12 of 15 in 3 apps',
    ]);
  }, 120_000);

  test('--reach: the published ports the netpol-analyzer lists as reachable from every outside address, each on its workload\'s container port', () => {
    const apps = measureComposeCorpus(FIXTURES, publishedPortsReachable(ensureNetpolAnalyzer(() => undefined)));
    // features: api's 8080 (a NodePort label); admin's 8081:80 goes through its Ingress. shop: api 8000 and web 3000 in dev.
    // published: proxy's 80, and the StatefulSets' 3000, 22 and 5432 through their NodePort Services.
    expect(apps.map((a) => [a.file, a.check])).toEqual([
      ['features/docker-compose.yml', { passed: 1, total: 2 }],
      ['published/docker-compose.yml', { passed: 4, total: 4 }],
      ['shop/docker-compose.yml', { passed: 2, total: 2 }],
    ]);
    expect(formatCorpusFigures(apps, 'reachable')).toContain('\nreachable: 7 of 8 in 3 apps');
  }, 300_000);

  test('--reach matches port by port: a workload open on another port, or another workload open on the port, does not count', () => {
    const folder = path.join(scratch, 'reach');
    fs.mkdirSync(folder, { recursive: true });
    const policy = (name: string, port: number) => [
      'apiVersion: apps/v1', 'kind: Deployment', `metadata: { name: ${name}-deployment, namespace: shop }`,
      `spec: { selector: { matchLabels: { app: ${name} } }, template: { metadata: { labels: { app: ${name} } }, spec: { containers: [{ name: c, image: i, ports: [{ containerPort: ${port} }] }] } } }`,
      '---', 'apiVersion: networking.k8s.io/v1', 'kind: NetworkPolicy', `metadata: { name: ${name}, namespace: shop }`,
      `spec: { podSelector: { matchLabels: { app: ${name} } }, policyTypes: [Ingress], ingress: [{ from: [{ ipBlock: { cidr: 0.0.0.0/0 } }], ports: [{ port: ${port} }] }] }`,
    ].join('\n');
    fs.writeFileSync(path.join(folder, 'a.yaml'), `${policy('web', 8080)}\n---\n${policy('db', 80)}\n`);
    const app = { file: 'x', services: 2, published: [{ workload: 'web', port: 80 }, { workload: 'web', port: 8080 }, { workload: 'other', port: 80 }], exposedPorts: 0, images: [], knownImages: 0, tableImages: 0 };
    expect(publishedPortsReachable(ensureNetpolAnalyzer(() => undefined))(folder, app)).toEqual({ passed: 1, total: 3 });
  }, 120_000);

  test('a file that does not import, and one whose app does not synthesize, are named with their error', () => {
    const corpus = path.join(scratch, 'bad');
    fs.mkdirSync(path.join(corpus, 'broken'), { recursive: true });
    fs.mkdirSync(path.join(corpus, 'refused'), { recursive: true });
    fs.writeFileSync(path.join(corpus, 'broken/docker-compose.yml'), 'services: {}');
    // A memory limit below the request the importer keeps is refused by the construct at synthesis.
    fs.writeFileSync(path.join(corpus, 'refused/compose.yaml'), 'services: { a: { image: a:1, user: "0", deploy: { resources: { reservations: { cpus: "2" }, limits: { cpus: "1" } } } } }');
    const apps = measureComposeCorpus(corpus, () => ({ passed: 1, total: 1 }));
    expect(formatCorpusFigures(apps, 'checked')).toContain('\nreachability: not measured');
    expect(apps.map((a) => [a.file, a.importError, a.synthError === undefined])).toEqual([
      ['broken/docker-compose.yml', expect.stringMatching(/services: must define at least one service$/), true],
      ['refused/compose.yaml', undefined, false],
    ]);
    expect(formatCorpusFigures(apps)).toMatch(/\n {2}not imported: broken\/docker-compose\.yml: .*\n {2}not synthesized: refused\/compose\.yaml: /);
  }, 60_000);
});

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
    expect(apps.map((a) => [a.file, a.services, a.publishedPorts, a.exposedPorts, a.images.length, a.knownImages, a.objects, a.importError, a.synthError])).toEqual([
      ['features/docker-compose.yml', 7, 2, 1, 7, 2, 23, undefined, undefined],
      ['shop/docker-compose.yml', 5, 2, 2, 2, 2, 17, undefined, undefined],
    ]);
    expect(folders).toContain('shop/docker-compose.yml:00-platform.yaml');
    // Each file is parsed once, for its import and its figures alike.
    expect(parses.mock.calls.map(([, file]) => path.relative(FIXTURES, file))).toEqual(['features/docker-compose.yml', 'shop/docker-compose.yml']);
    parses.mockRestore();
    expect(formatCorpusFigures(apps).split('\n')).toEqual([
      'compose files: 2; imported: 2; synthesized and validated with no error: 2',
      'services (one workload each): 12',
      'published TCP ports: 4; exposed by a NodePort or LoadBalancer their policies admit: 3',
      'images (not built): 9; whose port or preset the importer knows: 4',
      'objects written by the apps that synthesized: 40',
      'folder check: 10 of 12 in 2 apps',
    ]);
  }, 120_000);

  test('--reach: the published ports the netpol-analyzer lists as open from every outside address', () => {
    const apps = measureComposeCorpus(FIXTURES, publishedPortsReachable(ensureNetpolAnalyzer(() => undefined)));
    // features: api's 8080 (a NodePort label); admin's 8081:80 goes through its Ingress. shop: api 8000 and web 3000 in dev.
    expect(apps.map((a) => [a.file, a.check])).toEqual([
      ['features/docker-compose.yml', { passed: 1, total: 2 }],
      ['shop/docker-compose.yml', { passed: 2, total: 2 }],
    ]);
    expect(formatCorpusFigures(apps, 'open')).toContain('\nopen: 3 of 4 in 2 apps');
  }, 300_000);

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

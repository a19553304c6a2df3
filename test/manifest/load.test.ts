import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { outputHeader } from '../../lib/manifest/output-header';
import { loadManifestFolder, ManifestFile, manifestFiles, parseManifestText, readManifestFile, readManifestFolder, readManifestPaths } from '../../lib/manifest/load';
import { Finding } from '../../lib/manifest/types';

const MIXED = path.join(__dirname, '../fixtures/broken/mixed');

describe('loadManifestFolder', () => {
  it('reads *.yaml, *.yml and *.json in lexical order, skipping empty documents and expanding Lists', () => {
    const objects = loadManifestFolder(MIXED);
    expect(objects.map(({ object, source, order }) => [order, source, `${object.kind}/${object.metadata?.name}`])).toEqual([
      [0, '01-web.yaml', 'Deployment/web'],
      [1, '01-web.yaml', 'Service/web'],
      [2, '02-list.json', 'ConfigMap/web-settings'],
      [3, '02-list.json', 'PodDisruptionBudget/web'],
    ]);
  });

  it('lists only manifest files, sorted', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'manifests-'));
    for (const name of ['b.yml', 'a.yaml', 'c.json', 'd.txt', '10.yaml', '9.yaml']) fs.writeFileSync(path.join(dir, name), '');
    fs.mkdirSync(path.join(dir, 'nested.yaml'));
    expect(manifestFiles(dir)).toEqual(['10.yaml', '9.yaml', 'a.yaml', 'b.yml', 'c.json']);
  });

  it('names the file and line of invalid YAML', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n---\napiVersion: v1\nkind: Secret\nmetadata:\n\tname: y\n';
    expect(() => parseManifestText(text, 'broken.yaml')).toThrow(/^broken\.yaml document 2: invalid YAML at line 9: Tabs are not allowed/);
  });

  it('refuses documents that are not Kubernetes objects, such as kubectl patches', () => {
    expect(() => parseManifestText('spec:\n  replicas: 2\n', 'patch.yaml')).toThrow(/patch\.yaml document 1: not a Kubernetes object/);
  });
});

function tempFolder(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'manifests-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const configMap = (name: string, data = 'a: b') => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  ${data}\n`;
const names = (folder: { objects: ReadonlyArray<{ source: string; object: { metadata?: { name?: string } } }> }) =>
  folder.objects.map(({ source, object }) => `${source} ${object.metadata?.name}`);

describe('YAML as kubectl reads it', () => {
  const read = (text: string) => {
    const findings: Finding[] = [];
    return { objects: parseManifestText(text, 'app.yaml', findings), findings };
  };

  it('reads YAML 1.1 scalars as go-yaml v2 does', () => {
    const { objects } = read(configMap('x', [
      'a: on', '  b: 0755', '  c: 1_000', '  d: 1:30', '  e: 1e3', '  f: y', '  g: 2024-01-02', '  h: 0x1F', '  i: "on"', '  j: 08', '  k: ~', '  off: x',
    ].join('\n')));
    expect(objects[0].data).toEqual({ a: true, b: 493, c: 1000, d: '1:30', e: 1000, f: true, g: '2024-01-02', h: 31, i: 'on', j: 8, k: null, false: 'x' });
  });

  it('warns, with path and line, where that reading changes the type a YAML 1.2 reader sees', () => {
    const { findings } = read([
      'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: web', 'spec:', '  template:', '    spec:', '      containers:',
      '        - name: web', '          env:', '            - name: DEBUG', '              value: on', '            - name: MODE', '              value: "on"',
      '          securityContext:', '            runAsUser: 0755', '',
    ].join('\n'));
    expect(findings).toEqual([{
      rule: 'yaml-1.1', severity: 'warning', source: 'app.yaml', object: 'Deployment default/web',
      path: 'spec.template.spec.containers[0].env[0].value', apiServer: 'accepts',
      message: 'line 12: kubectl reads `on` as the boolean true (YAML 1.1, as go-yaml v2 does); a YAML 1.2 reader sees the string "on". Quote it if you mean the string.',
    }]);
  });

  it('names a key that changes type, and places findings inside List items on the item', () => {
    const { objects, findings } = read(['apiVersion: v1', 'kind: List', 'items:', `  - ${configMap('flags', 'yes: 1_000').trimEnd().replace(/\n/g, '\n    ')}`, ''].join('\n'));
    expect(objects[0].data).toEqual({ true: 1000 });
    expect(findings.map((f) => [f.object, f.path, f.message.split(';')[0]])).toEqual([
      ['ConfigMap default/flags', 'data.true', 'line 9: kubectl reads the key `yes` as the boolean true (YAML 1.1, as go-yaml v2 does)'],
      ['ConfigMap default/flags', 'data.true', 'line 9: kubectl reads `1_000` as the number 1000 (YAML 1.1, as go-yaml v2 does)'],
    ]);
  });

  it('reports every bad document and item with its file and line, and reads the rest', () => {
    const { objects, findings } = read([
      configMap('first'), '---', 'a:', '\tb: c', '---', configMap('third'), '---',
      '{"apiVersion": "v1", "kind": "List", "items": [{"kind": "ConfigMap"}, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "item"}}]}', '',
    ].join('\n'));
    expect(objects.map((o) => o.metadata?.name)).toEqual(['first', 'third', 'item']);
    expect(findings.map((f) => [f.rule, f.object, f.message.slice(0, 40)])).toEqual([
      ['yaml', 'document 2', 'invalid YAML at line 10: Tabs are not al'],
      ['manifest-document', 'document 4 items[0]', 'not a Kubernetes object (apiVersion and '],
    ]);
  });

  it('keeps the last value of a duplicate key, as kubectl does, with a warning that the API server accepts it', () => {
    const { objects, findings } = read([
      'apiVersion: v1', 'kind: Service', 'metadata:', '  name: web', 'spec:', '  type: ClusterIP', '  selector:', '    app: old',
      '  ports: [{port: 80}]', '  selector:', '    app: web', '  type: NodePort', '',
    ].join('\n'));
    expect(objects[0].spec).toEqual({ type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80 }] });
    expect(findings.map((f) => [f.rule, f.severity, f.apiServer, f.object, f.path])).toEqual([
      ['yaml-duplicate-key', 'warning', 'accepts', 'Service default/web', 'spec.type'],
      ['yaml-duplicate-key', 'warning', 'accepts', 'Service default/web', 'spec.selector'],
    ]);
    expect(findings[0].message).toBe('line 12: the key "type" appears 2 times in spec (also at line 6); kubectl keeps the last value and drops the others '
      + 'without a word, and the API server accepts it (kubectl sends JSON, where the key is already single). Only a client that sends the text as written, '
      + 'the key twice, with strict field validation (fieldValidation=Strict) is refused ("duplicate field"). Keep one of them.');
  });

  it('places a duplicate key inside a List item on the item, and names the top mapping', () => {
    const { objects, findings } = read(['apiVersion: v1', 'kind: List', 'items:', `  - ${configMap('flags', 'a: 1\n  a: 2').trimEnd().replace(/\n/g, '\n    ')}`, 'kind: List', ''].join('\n'));
    expect(objects[0].data).toEqual({ a: 2 });
    expect(findings.map((f) => [f.object, f.path, f.message.split(';')[0]])).toEqual([
      ['ConfigMap default/flags', 'data.a', 'line 10: the key "a" appears 2 times in data (also at line 9)'],
      ['List default/<unnamed>', 'kind', 'line 11: the key "kind" appears 2 times in the top mapping (also at line 2)'],
    ]);
  });

  it('turns an alias bomb into one finding naming the file, not a crash', () => {
    const bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
      .concat(['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].map((name, i) => `${name}: &${name} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`))
      .join('\n');
    const { objects, findings } = read(`${bomb}\n---\n${configMap('after')}`);
    expect(objects.map((o) => o.metadata?.name)).toEqual(['after']);
    expect(findings).toEqual([expect.objectContaining({
      rule: 'yaml', source: 'app.yaml', object: 'document 1', severity: 'error',
      message: 'cannot read the document at line 1: Excessive alias count indicates a resource exhaustion attack',
    })]);
  });
});

describe('folders as kubectl apply -R reads them', () => {
  it('recurses into subfolders in lexical order, unless told not to', () => {
    const dir = tempFolder({ 'a.yaml': configMap('a'), 'b/c.yaml': configMap('c'), 'b/d/e.yml': configMap('e'), 'f.yaml': configMap('f') });
    expect(names(readManifestFolder(dir))).toEqual(['a.yaml a', 'b/c.yaml c', 'b/d/e.yml e', 'f.yaml f']);
    expect(names(readManifestFolder(dir, { recursive: false }))).toEqual(['a.yaml a', 'f.yaml f']);
  });

  it('follows symlinked files, not symlinked folders, and reports a broken link', () => {
    const target = tempFolder({ 'real.yaml': configMap('linked') });
    const dir = tempFolder({ 'a.yaml': configMap('a') });
    fs.symlinkSync(path.join(target, 'real.yaml'), path.join(dir, 'b.yaml'));
    fs.symlinkSync(target, path.join(dir, 'c'));
    fs.symlinkSync(path.join(target, 'missing.yaml'), path.join(dir, 'd.yaml'));
    const folder = readManifestFolder(dir);
    expect(names(folder)).toEqual(['a.yaml a', 'b.yaml linked']);
    expect(folder.notes).toEqual(['c/: skipped, a symlinked folder (kubectl apply -R does not follow it either)']);
    expect(folder.findings).toEqual([expect.objectContaining({ rule: 'manifest-file', source: 'd.yaml', message: expect.stringMatching(/^cannot read it: ENOENT/) })]);
  });

  it('opens each file by the path path.join gives, however the folder is written (a message that quotes it is the same)', () => {
    const target = tempFolder({});
    const dir = tempFolder({ 'sub/a.yaml': configMap('a') });
    fs.symlinkSync(path.join(target, 'missing.yaml'), path.join(dir, 'sub', 'd.yaml'));
    const relative = path.relative(process.cwd(), dir);
    for (const root of [dir, `${dir}/`, `${dir}/./`, `${dir}//sub/..`, relative, `./${relative}/`]) {
      const folder = readManifestFolder(root);
      expect(names(folder)).toEqual(['sub/a.yaml a']);
      expect(folder.findings).toEqual([expect.objectContaining({ source: 'sub/d.yaml', message: expect.stringContaining(`'${path.join(root, 'sub/d.yaml')}'`) })]);
    }
    const cwd = process.cwd();
    try {
      process.chdir(dir);
      fs.symlinkSync(path.join(target, 'missing.yaml'), 'e.yaml');
      expect(readManifestFolder('.').findings.map((finding) => finding.message)).toEqual([
        expect.stringContaining("'e.yaml'"), expect.stringContaining("'sub/d.yaml'"),
      ]);
    } finally {
      process.chdir(cwd);
    }
  });

  it('skips a subfolder with its own synthesized output, and reads the external objects an output declares', () => {
    const header = outputHeader([{ kind: 'Secret', namespace: 'default', name: 'db' }]);
    const dir = tempFolder({ '00-app.yaml': header + configMap('dev'), 'prod/00-app.yaml': outputHeader([]) + configMap('prod'), 'extra/x.yaml': configMap('x') });
    const folder = readManifestFolder(dir);
    expect(names(folder)).toEqual(['00-app.yaml dev', 'extra/x.yaml x']);
    expect(folder.externalObjects).toEqual([{ kind: 'Secret', namespace: 'default', name: 'db' }]);
    expect(folder.notes).toEqual([`prod/: skipped, it holds a synthesized output of its own (another stage); validate it by itself: npx habr-k8s validate ${path.join(dir, 'prod')}`]);
    expect(names(readManifestFolder(path.join(dir, 'prod')))).toEqual(['00-app.yaml prod']);
  });

  it('reads the first file of a subfolder once: looking for an output header keeps its text, up to 64 KB', () => {
    // A ConfigMap whose data makes the file larger than what the header check keeps.
    const large = configMap('large', `big: ${'x'.repeat(70 * 1024)}`);
    const dir = tempFolder({ 'small/a.yaml': configMap('a'), 'small/b.yaml': configMap('b'), 'large/a.yaml': large });
    let handed: readonly ManifestFile[] = [];
    const folder = readManifestFolder(dir, {
      readFiles: (files) => {
        handed = files;
        return files.map(readManifestFile);
      },
    });
    expect(names(folder)).toEqual(['large/a.yaml large', 'small/a.yaml a', 'small/b.yaml b']);
    expect(handed.map(({ source, text }) => [source, text])).toEqual([['large/a.yaml', undefined], ['small/a.yaml', configMap('a')], ['small/b.yaml', undefined]]);
    // A file handed with its text is not read again: here it no longer exists.
    fs.rmSync(path.join(dir, 'small/a.yaml'));
    expect(readManifestFile(handed[1])).toMatchObject({ readable: true, bytes: configMap('a').length, findings: [] });
  });
});

describe('readManifestPaths', () => {
  const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

  test('one folder is read as readManifestFolder reads it; files and folders together are named by the paths given, in order', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paths-'));
    fs.mkdirSync(path.join(dir, 'app'));
    fs.writeFileSync(path.join(dir, 'app', 'a.yaml'), cm('a'));
    fs.writeFileSync(path.join(dir, 'extra.yaml'), cm('extra'));
    expect(readManifestPaths([path.join(dir, 'app')]).objects.map((o) => o.source)).toEqual(['a.yaml']);
    const both = readManifestPaths([path.join(dir, 'extra.yaml'), `${path.join(dir, 'app')}/`]);
    expect(both.objects.map((o) => [o.source, o.object.metadata?.name, o.order])).toEqual([
      [path.join(dir, 'extra.yaml'), 'extra', 0], [`${path.join(dir, 'app')}/a.yaml`, 'a', 1],
    ]);
    expect(both.files).toBe(2);
    expect(() => readManifestPaths([path.join(dir, 'missing.yaml')])).toThrow(/ENOENT/);
  });
});

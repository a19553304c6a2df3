import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadManifestFolder, manifestFiles, parseManifestText } from '../../lib/validation/load';

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
    expect(() => parseManifestText(text, 'broken.yaml')).toThrow(/^broken\.yaml:9: invalid YAML: Tabs are not allowed/);
  });

  it('refuses documents that are not Kubernetes objects, such as kubectl patches', () => {
    expect(() => parseManifestText('spec:\n  replicas: 2\n', 'patch.yaml')).toThrow(/patch\.yaml document 1: not a Kubernetes object/);
  });
});

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { schemaFileName, standaloneStrictSchema } from '../../bench/kubeconform';
import { extraCaCertsNote } from '../../bench/validate-section';
import { writePublicCorpus } from '../../bench/public-corpus';
import { readManifestFolder } from '../../lib/manifest/load';
import { readSubsetYaml } from '../../lib/manifest/subset-yaml';
import { validateObjects } from '../../lib/validation';

describe('kubeconform schemas', () => {
  it('are named as kubeconform looks them up (pkg/registry schemaPath)', () => {
    expect(schemaFileName('Deployment', 'apps', 'v1')).toBe('deployment-apps-v1');
    expect(schemaFileName('Service', '', 'v1')).toBe('service-v1');
    expect(schemaFileName('Ingress', 'networking.k8s.io', 'v1')).toBe('ingress-networking-v1');
  });

  it('inline references, forbid unknown fields, accept strings or numbers for int-or-string and quantities, and pin apiVersion and kind', () => {
    const definitions = {
      'x.Thing': {
        'x-kubernetes-group-version-kind': [{ group: 'example.com', version: 'v1', kind: 'Thing' }],
        required: ['spec'],
        properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, spec: { $ref: '#/definitions/x.Spec' } },
      },
      'x.Spec': { properties: { port: { $ref: '#/definitions/intstr' }, size: { $ref: '#/definitions/io.k8s.apimachinery.pkg.api.resource.Quantity' }, child: { $ref: '#/definitions/x.Spec' } } },
      intstr: { type: 'string', format: 'int-or-string' },
      'io.k8s.apimachinery.pkg.api.resource.Quantity': { type: 'string' },
    };
    expect(standaloneStrictSchema(definitions, 'x.Thing')).toEqual({
      'x-kubernetes-group-version-kind': [{ group: 'example.com', version: 'v1', kind: 'Thing' }],
      required: ['spec'],
      additionalProperties: false,
      properties: {
        apiVersion: { type: 'string', enum: ['example.com/v1'] },
        kind: { type: 'string', enum: ['Thing'] },
        spec: {
          additionalProperties: false,
          properties: {
            port: { oneOf: [{ type: 'string' }, { type: 'integer' }] },
            size: { oneOf: [{ type: 'string' }, { type: 'number' }] },
            child: {},
          },
        },
      },
    });
  });
});

describe('public-style corpus', () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'public-corpus-'));
  afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

  it('is the same for the same count, read by the subset reader, with the mistakes such folders have', () => {
    const objects = writePublicCorpus(folder, 60);
    const files = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));
    const contents = files(folder).map((file) => fs.readFileSync(file, 'utf8'));
    expect(writePublicCorpus(folder, 60)).toBe(objects);
    expect(files(folder).map((file) => fs.readFileSync(file, 'utf8'))).toEqual(contents);
    expect(contents.filter((text) => readSubsetYaml(text) === undefined)).toEqual([]);
    const read = readManifestFolder(folder);
    expect(read.objects).toHaveLength(objects);
    const rules = new Set([...read.findings, ...validateObjects(read.objects, { scope: 'file' }).findings].map((finding) => finding.rule));
    expect([...rules].sort()).toEqual(expect.arrayContaining(['pod-spec-fields', 'yaml-1.1', 'yaml-duplicate-key']));
  });
});

describe('the validate section', () => {
  it('says when NODE_EXTRA_CA_CERTS is set, which every node process then parses at start-up, and how to measure without it', () => {
    expect(extraCaCertsNote({})).toEqual([]);
    expect(extraCaCertsNote({ NODE_EXTRA_CA_CERTS: '' })).toEqual([]);
    const [note, ...rest] = extraCaCertsNote({ NODE_EXTRA_CA_CERTS: '/etc/ssl/certs/ca-certificates.crt' });
    expect(rest).toEqual([]);
    expect(note).toContain('NODE_EXTRA_CA_CERTS is set (/etc/ssl/certs/ca-certificates.crt)');
    expect(note).toContain('env -u NODE_EXTRA_CA_CERTS');
  });
});

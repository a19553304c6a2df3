import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { diffFolders, diffManifests, formatDiff } from '../../lib/diff/diff';
import { KubeObject, SourcedObject } from '../../lib/manifest/types';
import { runCli } from '../cli/run-cli';

function sourced(objects: KubeObject[], source = 'app.k8s.yaml'): SourcedObject[] {
  return objects.map((object, order) => ({ object, source, order }));
}

function deployment(overrides: { replicas?: number; containers?: unknown[]; labels?: Record<string, string> } = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'backend-deployment', labels: overrides.labels ?? { app: 'backend' } },
    spec: {
      replicas: overrides.replicas ?? 2,
      selector: { matchLabels: { app: 'backend' } },
      template: {
        metadata: { labels: { app: 'backend' } },
        spec: {
          containers: overrides.containers ?? [
            {
              name: 'backend',
              image: 'habr/backend:1.0',
              ports: [{ name: 'http', containerPort: 40001 }],
              env: [
                { name: 'MONGO_HOST', value: 'mongo' },
                { name: 'REDIS_HOST', value: 'redis' },
              ],
            },
          ],
        },
      },
    },
  };
}

function service(port: number, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'backend-service' },
    spec: { selector: { app: 'backend' }, ports: [{ name: 'http', port, targetPort: port }], ...extra },
  };
}

const namespace: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'habr' } };

describe('diffManifests', () => {
  test('identical sets have no differences', () => {
    const objects = sourced([namespace, deployment(), service(40001)]);
    const diff = diffManifests(objects, sourced([namespace, deployment(), service(40001)]));
    expect(diff).toEqual({ added: [], removed: [], changed: [], moved: [], unchanged: 3 });
  });

  test('objects only in the new set are added, only in the old set removed, with their identity', () => {
    const diff = diffManifests(sourced([namespace, service(40001)]), sourced([deployment(), service(40001)]));
    expect(diff.added).toEqual([
      {
        id: 'Deployment default/backend-deployment',
        group: 'apps',
        kind: 'Deployment',
        namespace: 'default',
        name: 'backend-deployment',
        source: 'app.k8s.yaml',
      },
    ]);
    expect(diff.removed).toEqual([
      { id: 'Namespace habr', group: '', kind: 'Namespace', name: 'habr', source: 'app.k8s.yaml' },
    ]);
    expect(diff.unchanged).toBe(1);
  });

  test('the same name in another namespace or API group is another object', () => {
    const inHabr: KubeObject = { ...service(40001), metadata: { name: 'backend-service', namespace: 'habr' } };
    const otherGroup: KubeObject = { ...deployment(), apiVersion: 'extensions/v1beta1' };
    const diff = diffManifests(sourced([service(40001), deployment()]), sourced([inHabr, otherGroup]));
    expect(diff.added.map((object) => object.id)).toEqual(['Deployment default/backend-deployment', 'Service habr/backend-service']);
    expect(diff.removed.map((object) => object.id)).toEqual(['Deployment default/backend-deployment', 'Service default/backend-service']);
  });

  test('a changed scalar is reported with its path and both values', () => {
    const diff = diffManifests(sourced([service(40001)]), sourced([service(40002)]));
    expect(diff.changed).toEqual([
      {
        id: 'Service default/backend-service',
        source: 'app.k8s.yaml',
        changes: [
          { path: 'spec.ports[name=http].port', before: 40001, after: 40002 },
          { path: 'spec.ports[name=http].targetPort', before: 40001, after: 40002 },
        ],
      },
    ]);
  });

  test('nested changes, added keys and removed keys get full paths; label keys with dots are quoted', () => {
    const before = deployment({ labels: { app: 'backend', 'app.kubernetes.io/part-of': 'habr' } });
    const after = deployment({ replicas: 3, labels: { app: 'backend', tier: 'api' } });
    const [changed] = diffManifests(sourced([before]), sourced([after])).changed;
    expect(changed.changes).toEqual([
      { path: 'metadata.labels["app.kubernetes.io/part-of"]', before: 'habr' },
      { path: 'metadata.labels.tier', after: 'api' },
      { path: 'spec.replicas', before: 2, after: 3 },
    ]);
  });

  test('an element inserted into a named list is one change, not every later element', () => {
    const sidecar = { name: 'log-shipper', image: 'fluent-bit:3' };
    const backend = (deployment().spec as any).template.spec.containers[0];
    const withEnv = { ...backend, env: [{ name: 'NODE_ENV', value: 'production' }, ...backend.env] };
    const diff = diffManifests(sourced([deployment()]), sourced([deployment({ containers: [sidecar, withEnv] })]));
    expect(diff.changed[0].changes).toEqual([
      { path: 'spec.template.spec.containers[name=backend].env[name=NODE_ENV]', after: { name: 'NODE_ENV', value: 'production' } },
      { path: 'spec.template.spec.containers[name=log-shipper]', after: sidecar },
    ]);
  });

  test('keys named like Object.prototype members are data like any other', () => {
    const config = (data: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data });
    expect(diffManifests(sourced([config({ constructor: 'a' })]), sourced([config({ toString: 'b' })])).changed[0].changes).toEqual([
      { path: 'data.constructor', before: 'a' },
      { path: 'data.toString', after: 'b' },
    ]);
  });

  test('lists without a unique name are compared by index', () => {
    const before = service(40001, { externalIPs: ['10.0.0.1', '10.0.0.2'] });
    const after = service(40001, { externalIPs: ['10.0.0.1', '10.0.0.3', '10.0.0.4'] });
    expect(diffManifests(sourced([before]), sourced([after])).changed[0].changes).toEqual([
      { path: 'spec.externalIPs[1]', before: '10.0.0.2', after: '10.0.0.3' },
      { path: 'spec.externalIPs[2]', after: '10.0.0.4' },
    ]);
  });

  test('volumeMounts sharing a volume name are matched by mountPath', () => {
    const mounts = (readOnly: boolean) => [
      { name: 'config', mountPath: '/etc/app/a.yaml', subPath: 'a.yaml' },
      { name: 'config', mountPath: '/etc/app/b.yaml', subPath: 'b.yaml', readOnly },
    ];
    const container = (readOnly: boolean) => [{ name: 'backend', image: 'b', volumeMounts: mounts(readOnly) }];
    const diff = diffManifests(sourced([deployment({ containers: container(false) })]), sourced([deployment({ containers: container(true) })]));
    expect(diff.changed[0].changes.map((change) => change.path)).toEqual([
      'spec.template.spec.containers[name=backend].volumeMounts[mountPath=/etc/app/b.yaml].readOnly',
    ]);
  });

  test('an object that only moved to another file is unchanged; one that also changed says where it came from', () => {
    const diff = diffManifests(
      sourced([deployment(), service(40001)], '0001-backend.k8s.yaml'),
      [
        { object: deployment(), source: '0002-workloads.k8s.yaml', order: 0 },
        { object: service(40002), source: '0003-services.k8s.yaml', order: 1 },
      ],
    );
    expect(diff.moved).toEqual([
      { id: 'Deployment default/backend-deployment', from: '0001-backend.k8s.yaml', to: '0002-workloads.k8s.yaml' },
    ]);
    expect(diff.unchanged).toBe(1);
    expect(diff.changed[0]).toMatchObject({ source: '0003-services.k8s.yaml', movedFrom: '0001-backend.k8s.yaml' });
  });
});

describe('formatDiff', () => {
  test('lists added, removed, changed and moved objects in a stable order and ends with the summary', () => {
    const before = [
      ...sourced([namespace, service(40001)], 'a.k8s.yaml'),
      { object: deployment(), source: 'a.k8s.yaml', order: 2 },
    ];
    const after = [
      ...sourced([service(40002)], 'a.k8s.yaml'),
      { object: deployment(), source: 'b.k8s.yaml', order: 1 },
      { object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'z', namespace: 'habr' }, data: { mode: '' } }, source: 'b.k8s.yaml', order: 2 },
      { object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'habr' } }, source: 'b.k8s.yaml', order: 3 },
    ];
    expect(formatDiff(diffManifests(before, after))).toBe(
      [
        '+ ConfigMap habr/a (added)',
        '+ ConfigMap habr/z (added)',
        '- Namespace habr (removed)',
        '~ Service default/backend-service',
        '    spec.ports[name=http].port: 40001 → 40002',
        '    spec.ports[name=http].targetPort: 40001 → 40002',
        '> Deployment default/backend-deployment (moved a.k8s.yaml → b.k8s.yaml)',
        '2 added, 1 removed, 1 changed, 1 unchanged',
        '',
      ].join('\n'),
    );
  });

  test('renders objects as JSON, absent values as (absent), and quotes strings only when they would mislead', () => {
    const config = (data: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data });
    const diff = diffManifests(
      sourced([config({ port: '8080', mode: 'fast', flag: 'true', empty: 'x', nested: { a: 1 } })]),
      sourced([config({ port: 8080, mode: 'slow', flag: true, empty: '', added: 'plain text' })]),
    );
    expect(formatDiff(diff).split('\n').slice(1, 7)).toEqual([
      '    data.port: "8080" → 8080',
      '    data.mode: fast → slow',
      '    data.flag: "true" → true',
      '    data.empty: x → ""',
      '    data.nested: {"a":1} → (absent)',
      '    data.added: (absent) → plain text',
    ]);
  });

  test('an empty diff is only the summary', () => {
    expect(formatDiff(diffManifests([], []))).toBe('0 added, 0 removed, 0 changed, 0 unchanged\n');
  });
});

describe('folders and the CLI', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'manifest-diff-'));
  });
  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  function writeFolder(name: string, files: Record<string, string>): string {
    const dir = path.join(root, name);
    fs.mkdirSync(dir);
    for (const [file, text] of Object.entries(files)) {
      fs.writeFileSync(path.join(dir, file), text);
    }
    return dir;
  }

  const serviceYaml = (port: number) =>
    `apiVersion: v1\nkind: Service\nmetadata:\n  name: backend-service\nspec:\n  ports:\n    - name: http\n      port: ${port}\n`;

  test('diffFolders and the CLI compare two folders, whatever the file split', async () => {
    const before = writeFolder('before', { 'all.yaml': serviceYaml(40001) });
    const after = writeFolder('after', { '0001-backend.yaml': serviceYaml(40002) });
    expect(diffFolders(before, after).changed).toHaveLength(1);
    expect(await runCli(['diff', before, after])).toEqual({
      exitCode: 0,
      stdout:
        '~ Service default/backend-service (moved all.yaml → 0001-backend.yaml)\n' +
        '    spec.ports[name=http].port: 40001 → 40002\n' +
        '0 added, 0 removed, 1 changed, 0 unchanged\n',
      stderr: '',
    });
  });

  test('habr-k8s diff exits 2 on a usage error and 1 with one line on a read error', async () => {
    expect(await runCli(['diff', root], { cwd: root })).toEqual({
      exitCode: 2, stdout: '', stderr: 'habr-k8s diff: expected two folders, <before> <after>, got 1: ' + root + '\nsee habr-k8s diff --help\n',
    });
    const broken = writeFolder('broken', { 'bad.yaml': 'kind: [\n' });
    expect(await runCli(['diff', root, broken])).toMatchObject({ exitCode: 1, stderr: expect.stringMatching(/^habr-k8s diff: bad\.yaml document 1: invalid YAML at line 2:[^\n]*\n$/) });
  });
});

/**
 * `npm run validate -- <folder> --server`: the API server's dry-run verdict on every object, merged
 * into the same report as our own checks.
 */
import * as fs from 'fs';
import * as path from 'path';
import { runValidateCli } from '../../lib/cli/validate';
import { LocalCluster } from '../../tools/cluster/local-cluster';
import { eventually, startCluster, stopCluster, temporaryFolder } from './cluster';

const NAMESPACE = 'checked';
let cluster: LocalCluster;

const restrictedPod = [
  '      automountServiceAccountToken: false',
  '      containers:',
  '        - name: app',
  '          image: registry.example.com/app:1.0.0',
  '          resources: { requests: { cpu: 10m, memory: 16Mi }, limits: { memory: 16Mi } }',
  '          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: [ALL] }, readOnlyRootFilesystem: true }',
];

function folderOfManifests(): string {
  const dir = temporaryFolder('validate-server-');
  fs.writeFileSync(path.join(dir, '10-good.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: good\n  namespace: ${NAMESPACE}\ndata:\n  mode: fast\n`);
  fs.writeFileSync(path.join(dir, '20-bad.yaml'), [
    'apiVersion: v1', 'kind: Service', 'metadata:', '  name: typo', `  namespace: ${NAMESPACE}`, 'spec:', '  type: ClusterIPP', '  ports:', '    - port: 80',
    '---',
    'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: unknown-field', `  namespace: ${NAMESPACE}`, 'dataa:', '  a: b',
    '---',
    'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: root-app', `  namespace: ${NAMESPACE}`, 'spec:', '  selector:', '    matchLabels: { app: root-app }',
    '  template:', '    metadata:', '      labels: { app: root-app }', '    spec:', '      securityContext: { runAsNonRoot: false, runAsUser: 0, seccompProfile: { type: RuntimeDefault } }',
    ...restrictedPod, '',
  ].join('\n'));
  fs.writeFileSync(path.join(dir, '30-later.yaml'), [
    'apiVersion: v1', 'kind: Namespace', 'metadata:', '  name: later', '---', 'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: in-later', '  namespace: later', '',
  ].join('\n'));
  return dir;
}

beforeAll(async () => {
  cluster = await startCluster(1);
  cluster.kubectlOk(['create', 'namespace', NAMESPACE]);
  cluster.kubectlOk(['label', 'namespace', NAMESPACE, 'pod-security.kubernetes.io/enforce=restricted', 'pod-security.kubernetes.io/warn=restricted']);
  await eventually(() => (cluster.kubectl(['get', 'serviceaccount', 'default', '-n', NAMESPACE]).status === 0 ? [] : ['no default ServiceAccount yet']));
});
afterAll(() => stopCluster(cluster, 'validate --server'));

test('the server verdict of every object is merged into our report', async () => {
  const dir = folderOfManifests();
  const result = await runValidateCli([dir, '--server', '--kubeconfig', cluster.kubeconfig, '--kubectl', cluster.binaries.kubectl]);
  const lines = result.output.split('\n');
  expect(result.exitCode).toBe(1);
  expect(lines).toContain(`server: Kubernetes ${cluster.version} dry-ran 6 objects, refused 3`);
  const server = lines.filter((line) => line.endsWith('[server; API server rejects]') || line.endsWith('[server; API server accepts]'));
  expect(server).toEqual([
    expect.stringMatching(/^ {2}error {3}Service checked\/typo spec\.type: the API server refuses it: .*Service "typo" is invalid: spec\.type: Unsupported value: "ClusterIPP"/),
    expect.stringMatching(/^ {2}error {3}ConfigMap checked\/unknown-field dataa: the API server refuses it: failed to create typed patch object .*\.dataa: field not declared in schema/),
    expect.stringMatching(/^ {2}warning Deployment checked\/root-app: the API server warns: would violate PodSecurity "restricted:latest": runAsNonRoot != true/),
    expect.stringMatching(/^ {2}warning ConfigMap later\/in-later metadata\.namespace: not checked by the API server: namespace later is created by this set and does not exist yet/),
  ]);
  // Our own checks stand beside the server's: the unknown field is also our schema error.
  expect(result.output).toContain('ConfigMap checked/unknown-field dataa: unknown field "dataa"');
  expect(lines.pop()).toMatch(/^6 objects checked, \d+ errors, \d+ warnings$/);
  expect(cluster.kubectl(['get', 'configmap', 'good', '-n', NAMESPACE]).status).not.toBe(0);
});

test('an unreachable cluster stops the command with exit code 2', async () => {
  const kubeconfig = path.join(temporaryFolder('validate-server-'), 'kubeconfig');
  fs.writeFileSync(kubeconfig, fs.readFileSync(cluster.kubeconfig, 'utf8').replace(/server: https:\/\/127\.0\.0\.1:\d+/, 'server: https://127.0.0.1:1'));
  const result = await runValidateCli([folderOfManifests(), '--server', '--kubeconfig', kubeconfig, '--kubectl', cluster.binaries.kubectl]);
  expect(result).toEqual({ exitCode: 2, output: expect.stringMatching(/^cannot reach the cluster for --server: /) });
});

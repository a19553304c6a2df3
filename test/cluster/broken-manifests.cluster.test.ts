/**
 * The suite's checks can fail: broken manifests meet the same server and the same checks as dist/,
 * and the server-side dry-run helper reports the server's verdict per object.
 */
import { PropsError, WebApp } from '../../lib';
import { AffinityProps } from '../../lib/constructs/affinity';
import { toAffinity } from '../../lib/constructs/affinity';
import { dryRunObjects } from '../../lib/validation/server-dry-run';
import { KubeObject } from '../../lib/manifest/types';
import { LocalCluster } from '../../tools/cluster/local-cluster';
import { newChart } from '../helpers';
import { endpointProblems, eventually, getJson, Json, rolloutFailures, startCluster, stopCluster } from './cluster';

const NAMESPACE = 'broken';
let cluster: LocalCluster;

const restrictedNamespace: KubeObject = {
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: NAMESPACE, labels: { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'latest' } },
};

/** A pod spec that meets restricted; `securityContext` overrides what the test breaks. */
function podSpec(securityContext: Json = {}): Json {
  return {
    automountServiceAccountToken: false,
    securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' }, ...securityContext },
    containers: [{
      name: 'app',
      image: 'registry.example.com/app:1.0.0',
      ports: [{ name: 'http', containerPort: 8080 }],
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true },
    }],
  };
}

function deployment(name: string, spec: Json): KubeObject {
  const labels = { 'app.kubernetes.io/name': name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NAMESPACE, labels },
    spec: { replicas: 1, selector: { matchLabels: labels }, template: { metadata: { labels }, spec } },
  };
}

const asRoot = { runAsNonRoot: false, runAsUser: 0 };

beforeAll(async () => {
  cluster = await startCluster(1);
  cluster.kubectlOk(['apply', '--server-side', '-f', '-'], JSON.stringify(restrictedNamespace));
  await eventually(() => (cluster.kubectl(['get', 'serviceaccount', 'default', '-n', NAMESPACE]).status === 0 ? [] : ['no default ServiceAccount yet']));
});
afterAll(() => stopCluster(cluster, 'broken manifests'));

test('a pod that runs as root is refused in the restricted namespace', () => {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'root-pod', namespace: NAMESPACE }, spec: podSpec(asRoot) };
  const result = cluster.kubectl(['apply', '--server-side', '-f', '-'], JSON.stringify(pod));
  expect(result.status).not.toBe(0);
  expect(result.stderr).toMatch(/pods "root-pod" is forbidden: violates PodSecurity "restricted:latest": runAsNonRoot != true .*runAsUser=0/);
});

test("a Deployment whose pods run as root is stored with a warning, and its pods are refused: the rollout never completes", () => {
  const result = cluster.kubectl(['apply', '--server-side', '-f', '-'], JSON.stringify(deployment('root-app', podSpec(asRoot))));
  expect(result.status).toBe(0);
  expect(result.stderr).toMatch(/^Warning: would violate PodSecurity "restricted:latest"/m);
  const failures = rolloutFailures(cluster, [deployment('root-app', {})], '10s');
  expect(failures).toHaveLength(1);
  const events = getJson(cluster, ['events', '-n', NAMESPACE, '--field-selector', 'reason=FailedCreate']).items as Json[];
  expect(events.some((e) => /violates PodSecurity/.test(e.message))).toBe(true);
});

test('a Service that selects nothing is caught by the EndpointSlice check', async () => {
  const app = deployment('web', podSpec());
  const service: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web-service', namespace: NAMESPACE },
    spec: { selector: { 'app.kubernetes.io/name': 'wbe' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
  };
  const result = cluster.kubectl(['apply', '--server-side', '-f', '-'], [app, service].map((o) => JSON.stringify(o)).join('\n'));
  expect(result.stderr).toBe('');
  expect(rolloutFailures(cluster, [app])).toEqual([]);
  expect(endpointProblems(cluster, service, [app])).toEqual(['Service web-service selects 0 workloads of the manifests, expected 1']);

  // Selecting the pods but naming a port they do not declare: no endpoint for that port.
  const wrongPort = { ...service, spec: { selector: { 'app.kubernetes.io/name': 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'htp' }] } };
  cluster.kubectlOk(['apply', '--server-side', '-f', '-'], JSON.stringify(wrongPort));
  const problems = await eventually(() => (endpointProblems(cluster, wrongPort, [app]).length ? [] : ['not caught yet']));
  expect(problems).toEqual([]);
  // The pod is still listed, without a port: connections to the Service's port have nowhere to go.
  expect(endpointProblems(cluster, wrongPort, [app])).toEqual(['Service web-service port http: targetPort htp names no container port of deployment/web']);
});

test('the dry-run helper returns the server verdict and message of every object, in order, storing nothing', async () => {
  const objects: KubeObject[] = [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fine', namespace: NAMESPACE }, data: { a: 'b' } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'typo', namespace: NAMESPACE }, spec: { type: 'ClusterIPP', ports: [{ port: 80 }] } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'unknown-field', namespace: NAMESPACE }, data: { a: 'b' }, dataa: {} },
    deployment('root-dry-run', podSpec(asRoot)),
    { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'no-such-kind', namespace: NAMESPACE } },
  ];
  const verdicts = await dryRunObjects(objects, { kubectl: cluster.binaries.kubectl, kubeconfig: cluster.kubeconfig });
  expect(verdicts.map((v) => [v.id, v.accepted])).toEqual([
    ['ConfigMap broken/fine', true],
    ['Service broken/typo', false],
    ['ConfigMap broken/unknown-field', false],
    ['Deployment broken/root-dry-run', true],
    ['Widget broken/no-such-kind', false],
  ]);
  expect(verdicts[1].message).toMatch(/^The Service "typo" is invalid: spec.type: Unsupported value: "ClusterIPP"/);
  // Server-side apply refuses an unknown field while building the patch, before validation.
  expect(verdicts[2].message).toBe('failed to create typed patch object (broken/unknown-field; /v1, Kind=ConfigMap): .dataa: field not declared in schema');
  expect(verdicts[3].warnings.join('\n')).toMatch(/^would violate PodSecurity "restricted:latest"/);
  expect(verdicts[4].message).toMatch(/no matches for kind "Widget"/);
  expect(cluster.kubectl(['get', 'configmap', 'fine', '-n', NAMESPACE]).status).not.toBe(0);
});

describe('affinity: what the constructs refuse, the server refuses (or the message says why it matters anyway)', () => {
  const exists = [{ key: 'a', operator: 'Exists' as const }];
  const cases: { name: string; props: AffinityProps; server: 'rejects' | 'accepts' }[] = [
    { name: 'weight-101', props: { nodeAffinity: { preferred: [{ weight: 101, matchExpressions: exists }] } }, server: 'rejects' },
    { name: 'pod-weight-0', props: { podAffinity: { preferred: [{ weight: 0, topologyKey: 'zone', matchLabels: { a: 'b' } }] } }, server: 'rejects' },
    { name: 'no-topology-key', props: { podAntiAffinity: { required: [{ topologyKey: '', matchLabels: { a: 'b' } }] } }, server: 'rejects' },
    { name: 'bad-topology-key', props: { avoidOwnPods: { topologyKey: 'a/b/c' } }, server: 'rejects' },
    { name: 'in-without-values', props: { nodeAffinity: { required: [{ matchExpressions: [{ key: 'a', operator: 'In' }] }] } }, server: 'rejects' },
    { name: 'exists-with-values', props: { podAffinity: { required: [{ topologyKey: 'zone', matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }] } }, server: 'rejects' },
    { name: 'gt-two-values', props: { nodeAffinity: { required: [{ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1', '2'] }] }] } }, server: 'rejects' },
    { name: 'bad-operator', props: { nodeAffinity: { required: [{ matchExpressions: [{ key: 'a', operator: 'Equals' as never, values: ['x'] }] }] } }, server: 'rejects' },
    { name: 'bad-key', props: { nodeAffinity: { required: [{ matchExpressions: [{ key: '-a', operator: 'Exists' }] }] } }, server: 'rejects' },
    { name: 'bad-value', props: { nodeAffinity: { required: [{ matchExpressions: [{ key: 'a', operator: 'In', values: ['not ok'] }] }] } }, server: 'rejects' },
    { name: 'bad-namespace', props: { podAffinity: { required: [{ topologyKey: 'zone', matchLabels: { a: 'b' }, namespaces: ['Data'] }] } }, server: 'rejects' },
    { name: 'no-terms', props: { nodeAffinity: { required: [] } }, server: 'rejects' },
    // Stored by the server, refused by the constructs for what they do at run time (the messages say so).
    { name: 'gt-not-integer', props: { nodeAffinity: { required: [{ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['ten'] }] }] } }, server: 'accepts' },
    { name: 'empty-term', props: { nodeAffinity: { required: [{ matchExpressions: [] }] } }, server: 'accepts' },
    { name: 'no-selector', props: { podAntiAffinity: { required: [{ topologyKey: 'zone' }] } }, server: 'accepts' },
  ];

  /** The Deployment a WebApp with valid props writes, with the pod affinity `toAffinity` makes of `props` (unchecked). */
  function deploymentWith(name: string, props: AffinityProps | undefined): KubeObject {
    const chart = newChart(NAMESPACE);
    new WebApp(chart, 'App', { name, image: 'registry.example.com/app:1.0.0', port: 8080 });
    const object = (chart.toJson() as KubeObject[]).find((o) => o.kind === 'Deployment')! as Json;
    if (props) object.spec.template.spec.affinity = toAffinity(props, { 'app.kubernetes.io/name': name });
    return object as KubeObject;
  }

  test('every bad case is refused by the construct, and the server answers as listed', async () => {
    for (const { name, props } of cases) {
      expect(() => new WebApp(newChart(NAMESPACE), 'App', { name, image: 'app:1.0', port: 8080, ...props })).toThrow(PropsError);
    }
    const verdicts = await dryRunObjects(cases.map((c) => deploymentWith(c.name, c.props)), { kubectl: cluster.binaries.kubectl, kubeconfig: cluster.kubeconfig });
    expect(verdicts.map((v, i) => [cases[i].name, v.accepted ? 'accepts' : 'rejects'])).toEqual(cases.map((c) => [c.name, c.server]));
    for (const verdict of verdicts.filter((v) => !v.accepted)) expect(verdict.message).toMatch(/spec\.template\.spec\.affinity\./);
  });

  test('the affinity the constructs write is accepted: every kind of term, and avoidOwnPods', async () => {
    const good: AffinityProps = {
      nodeAffinity: {
        required: [{ matchExpressions: [{ key: 'kubernetes.io/os', operator: 'In', values: ['linux'] }, { key: 'gen', operator: 'Lt', values: ['9'] }] }],
        preferred: [{ weight: 1, matchExpressions: [{ key: 'spot', operator: 'DoesNotExist' }] }],
      },
      podAffinity: { preferred: [{ weight: 100, topologyKey: 'topology.kubernetes.io/zone', matchLabels: { 'app.kubernetes.io/name': 'cache' }, namespaces: ['data'] }] },
      podAntiAffinity: { required: [{ topologyKey: 'kubernetes.io/hostname', matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['batch'] }] }] },
      avoidOwnPods: { topologyKey: 'topology.kubernetes.io/zone', weight: 50 },
    };
    const chart = newChart(NAMESPACE);
    new WebApp(chart, 'App', { name: 'placed', image: 'registry.example.com/app:1.0.0', port: 8080, ...good });
    const objects = chart.toJson() as KubeObject[];
    const verdicts = await dryRunObjects(objects, { kubectl: cluster.binaries.kubectl, kubeconfig: cluster.kubeconfig });
    expect(verdicts.map((v) => [v.id, v.accepted, v.message ?? ''])).toEqual(objects.map((o) => [`${o.kind} ${NAMESPACE}/${o.metadata?.name}`, true, '']));
  });
});

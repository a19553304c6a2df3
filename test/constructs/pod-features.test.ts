import { App, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { BatchJob, PropsError, renderApp, ScheduledJob, StatefulApp, WebApp, WebAppProps } from '../../lib';
import { container, find, invalid, invalidAtSynth, newChart, podSpec, synth } from '../helpers';
import { build, deploymentOf } from './web-app-helpers';


function problemsOf(props: Partial<WebAppProps>): string[] {
  try {
    build(props)();
  } catch (error) {
    expect(error).toBeInstanceOf(PropsError);
    return (error as PropsError).problems.map((p) => p.field);
  }
  throw new Error('expected a PropsError');
}

const RESTRICTED_CONTAINER = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } };

describe('init containers and native sidecars', () => {
  const pod = podSpec(deploymentOf({
    initContainers: [
      { name: 'migrate', image: 'app:1.0', command: ['python', '-m', 'migrate'], envFrom: [{ secretName: 'db-secret' }] },
      { name: 'proxy', image: 'proxy:2.1', sidecar: true, resources: { requests: { memory: '32Mi' }, limits: { memory: '64Mi' } } },
    ],
  }));

  test('run in order before the app container, a sidecar with restartPolicy Always', () => {
    expect(pod.initContainers.map((c: any) => c.name)).toEqual(['migrate', 'proxy']);
    expect(pod.initContainers[0]).toMatchObject({
      image: 'app:1.0', imagePullPolicy: 'IfNotPresent', command: ['python', '-m', 'migrate'], envFrom: [{ secretRef: { name: 'db-secret' } }],
    });
    expect(pod.initContainers[0].restartPolicy).toBeUndefined();
    expect(pod.initContainers[1].restartPolicy).toBe('Always');
  });

  test('get the restricted securityContext, bounded resources and the writable paths of the app container', () => {
    for (const init of pod.initContainers) {
      expect(init.securityContext).toEqual(RESTRICTED_CONTAINER);
      expect(init.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    }
    expect(pod.initContainers[0].resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } });
    expect(pod.initContainers[1].resources.limits).toEqual({ memory: '64Mi' });
  });

  test('can mount the pod volumes by name', () => {
    const spec = podSpec(deploymentOf({
      volumes: [{ name: 'cache', mountPath: '/var/cache/app', emptyDir: { sizeLimit: '500Mi' } }],
      initContainers: [{ name: 'warm', image: 'app:1.0', volumeMounts: [{ volume: 'cache', mountPath: '/cache' }] }],
    }));
    expect(spec.initContainers[0].volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }, { name: 'cache', mountPath: '/cache' }]);
  });

  test('are checked: names, images, unknown volumes, a name taken by the app container, all at once', () => {
    expect(problemsOf({
      initContainers: [
        { name: 'Bad_Name', image: '' },
        { name: 'app', image: 'x:1', volumeMounts: [{ volume: 'nope', mountPath: '/x' }] },
        { name: 'ok', image: 'x:1', command: [], resources: { requests: { memory: '1Gi' } } },
      ],
    })).toEqual([
      'initContainers[0].name', 'initContainers[0].image', 'initContainers[1].volumeMounts[].volume', 'initContainers[2].command',
      'initContainers[2].resources.requests.memory', 'initContainers[].name',
    ]);
  });

  test('are part of BatchJob, ScheduledJob and StatefulApp pods too', () => {
    const chart = newChart();
    const init = [{ name: 'wait', image: 'busybox:1.36', command: ['sh', '-c', 'true'] }];
    new BatchJob(chart, 'Job', { name: 'seed', image: 'seed:1', initContainers: init });
    new ScheduledJob(chart, 'Cron', { name: 'nightly', image: 'job:1', schedule: '@daily', initContainers: init });
    new StatefulApp(chart, 'Db', { name: 'db', image: 'db:1', port: 5432, initContainers: init });
    const objects = synth(chart);
    expect(find(objects, 'Job', 'seed-job').spec.template.spec.initContainers[0].name).toBe('wait');
    expect(find(objects, 'CronJob', 'nightly-cronjob').spec.jobTemplate.spec.template.spec.initContainers[0].name).toBe('wait');
    expect(podSpec(find(objects, 'StatefulSet', 'db-statefulset')).initContainers[0].securityContext).toEqual(RESTRICTED_CONTAINER);
  });
});

describe('pod settings', () => {
  test('serviceAccountName, imagePullSecrets, nodeSelector, tolerations, priorityClassName, terminationGracePeriodSeconds', () => {
    const pod = podSpec(deploymentOf({
      serviceAccountName: 'api-reader',
      imagePullSecrets: ['registry-credentials'],
      nodeSelector: { 'kubernetes.io/arch': 'amd64' },
      tolerations: [{ key: 'dedicated', value: 'web', effect: 'NoSchedule' }, { operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }],
      priorityClassName: 'high-priority',
      terminationGracePeriodSeconds: 45,
    }));
    expect(pod).toMatchObject({
      serviceAccountName: 'api-reader',
      imagePullSecrets: [{ name: 'registry-credentials' }],
      nodeSelector: { 'kubernetes.io/arch': 'amd64' },
      tolerations: [{ key: 'dedicated', value: 'web', effect: 'NoSchedule' }, { operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }],
      priorityClassName: 'high-priority',
      terminationGracePeriodSeconds: 45,
    });
    // The token stays unmounted unless asked for.
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  test('none of them is written when left out', () => {
    const pod = podSpec(deploymentOf());
    for (const field of ['initContainers', 'serviceAccountName', 'imagePullSecrets', 'nodeSelector', 'tolerations', 'priorityClassName', 'terminationGracePeriodSeconds', 'hostAliases']) {
      expect(pod[field]).toBeUndefined();
    }
    expect(container(deploymentOf()).envFrom).toBeUndefined();
    expect(container(deploymentOf()).lifecycle).toBeUndefined();
  });

  test('hostAliases become /etc/hosts entries of the pods', () => {
    const aliases = [{ ip: '10.0.0.5', hostnames: ['db.internal', 'legacy'] }, { ip: 'fd00::1', hostnames: ['v6.internal'] }];
    expect(podSpec(deploymentOf({ hostAliases: aliases })).hostAliases).toEqual(aliases);
  });

  test('hostAliases: an address that is none, no host names, or a name that is no DNS-1123 subdomain are refused at once', () => {
    expect(problemsOf({ hostAliases: [{ ip: 'host-gateway', hostnames: [] }, { ip: '10.0.0.1', hostnames: ['ok', 'Not_OK'] }] }))
      .toEqual(['hostAliases[0].ip', 'hostAliases[0].hostnames', 'hostAliases[1].hostnames[1]']);
  });

  test('bad values are all refused at once', () => {
    expect(problemsOf({
      serviceAccountName: 'Api_Reader',
      imagePullSecrets: ['ok', 'not ok'],
      nodeSelector: { '-arch': 'amd64' },
      tolerations: [{ value: 'x' }, { key: 'a', operator: 'Exists', value: 'b' }, { key: 'a', effect: 'NoSchedule', tolerationSeconds: 5 }],
      priorityClassName: 'High',
      terminationGracePeriodSeconds: -1,
      preStop: { command: [] },
    })).toEqual([
      'serviceAccountName', 'imagePullSecrets[1]', 'nodeSelector key', 'tolerations[0].key', 'tolerations[1].value',
      'tolerations[2].tolerationSeconds', 'priorityClassName', 'terminationGracePeriodSeconds', 'preStop.command',
    ]);
    expect(build({ serviceAccountName: 'Api_Reader' })).toThrow(invalid('test/App', 'serviceAccountName', 'Api_Reader'));
  });
});

describe('preStop, envFrom and volumes of the app container', () => {
  test('preStop runs a command before the container is stopped', () => {
    expect(container(deploymentOf({ preStop: { command: ['sleep', '5'] } })).lifecycle).toEqual({ preStop: { exec: { command: ['sleep', '5'] } } });
  });

  test('envFrom takes every key of a ConfigMap or a Secret, with a prefix', () => {
    expect(container(deploymentOf({ envFrom: [{ configMapName: 'app-config' }, { secretName: 'db-secret', prefix: 'DB_', optional: true }] })).envFrom)
      .toEqual([{ configMapRef: { name: 'app-config' } }, { prefix: 'DB_', secretRef: { name: 'db-secret', optional: true } }]);
    expect(problemsOf({ envFrom: [{}, { configMapName: 'a', secretName: 'b' }, { secretName: 'Bad' }, { secretName: 's', prefix: '1X' }] }))
      .toEqual(['envFrom[0]', 'envFrom[1]', 'envFrom[2].secretName', 'envFrom[3].prefix']);
  });

  test('a sized emptyDir and an existing claim are mounted where asked', () => {
    const deployment = deploymentOf({
      volumes: [
        { name: 'cache', mountPath: '/var/cache/app', emptyDir: { sizeLimit: '500Mi', medium: 'Memory' } },
        { name: 'uploads', mountPath: '/srv/uploads', persistentVolumeClaim: { claimName: 'uploads-claim' } },
        { name: 'shared', mountPath: '/srv/shared', readOnly: true, persistentVolumeClaim: { claimName: 'shared-claim', readOnly: true } },
      ],
    });
    expect(podSpec(deployment).volumes.slice(1)).toEqual([
      { name: 'cache', emptyDir: { medium: 'Memory', sizeLimit: '500Mi' } },
      { name: 'uploads', persistentVolumeClaim: { claimName: 'uploads-claim' } },
      { name: 'shared', persistentVolumeClaim: { claimName: 'shared-claim', readOnly: true } },
    ]);
    expect(container(deployment).volumeMounts.slice(1)).toEqual([
      { name: 'cache', mountPath: '/var/cache/app' },
      { name: 'uploads', mountPath: '/srv/uploads' },
      { name: 'shared', mountPath: '/srv/shared', readOnly: true },
    ]);
  });

  test('volumes are checked: one source, names, paths, sizes, no overlap with other mounts', () => {
    expect(problemsOf({
      volumes: [
        { name: 'a', mountPath: '/a' },
        { name: 'B', mountPath: 'b', emptyDir: { sizeLimit: '0' } },
        { name: 'c', mountPath: '/c', persistentVolumeClaim: { claimName: 'Claim' } },
      ],
    })).toEqual(['volumes["a"]', 'volumes[1].name', 'volumes[1].mountPath', 'volumes[1].emptyDir.sizeLimit', 'volumes[2].persistentVolumeClaim.claimName']);
    expect(build({ volumes: [{ name: 'scratch', mountPath: '/tmp', emptyDir: {} }] })).toThrow(invalid('test/App', 'mount path', '/tmp'));
  });
});

describe('disruption budget minAvailable', () => {
  test('replaces maxUnavailable', () => {
    const chart = newChart();
    new WebApp(chart, 'App', { name: 'app', image: 'app:1.0', port: 8080, replicas: 3, disruptionBudget: { minAvailable: 2 } });
    const pdb = find(synth(chart), 'PodDisruptionBudget', 'app-pdb');
    expect(pdb.spec.minAvailable).toBe(2);
    expect(pdb.spec.maxUnavailable).toBeUndefined();
  });

  test('is refused with maxUnavailable, at "100%", and at synthesis when it keeps every replica', () => {
    expect(build({ replicas: 3, disruptionBudget: { minAvailable: 1, maxUnavailable: 1 } }))
      .toThrow(invalid('test/App', 'disruptionBudget.minAvailable', 1));
    expect(build({ replicas: 3, disruptionBudget: { minAvailable: '100%' } }))
      .toThrow(invalid('test/App', 'disruptionBudget.minAvailable', '100%'));
    const chart = newChart();
    new WebApp(chart, 'App', { name: 'app', image: 'app:1.0', port: 8080, replicas: 2, disruptionBudget: { minAvailable: 2 } });
    expect(() => synth(chart)).toThrow(invalidAtSynth('test/App/DisruptionBudget', 'disruptionBudget.minAvailable', 2));
  });
});

test('a pod with every new setting passes the whole-app validation (schema and rules)', () => {
  const app = new App();
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  new k8s.KubeNamespace(chart, 'Ns', { metadata: { name: 'shop' } });
  new k8s.KubeServiceAccount(chart, 'Sa', { metadata: { name: 'api-reader' } });
  new k8s.KubeConfigMap(chart, 'Config', { metadata: { name: 'app-config' }, data: { A: '1' } });
  new k8s.KubePersistentVolumeClaim(chart, 'Claim', {
    metadata: { name: 'uploads-claim' },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: k8s.Quantity.fromString('1Gi') } } },
  });
  new WebApp(chart, 'Api', {
    name: 'api', image: 'api:1.0', port: 8080, replicas: 2,
    initContainers: [{ name: 'migrate', image: 'api:1.0', command: ['migrate'] }],
    serviceAccountName: 'api-reader',
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' }],
    terminationGracePeriodSeconds: 45,
    preStop: { command: ['sleep', '5'] },
    envFrom: [{ configMapName: 'app-config' }],
    volumes: [
      { name: 'cache', mountPath: '/var/cache/app', emptyDir: { sizeLimit: '500Mi' } },
      { name: 'uploads', mountPath: '/srv/uploads', persistentVolumeClaim: { claimName: 'uploads-claim' } },
    ],
    disruptionBudget: { minAvailable: 1 },
  });
  const report = renderApp(app).report;
  expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
});

test('a native sidecar needs a Kubernetes version that knows container restartPolicy: 1.27 refuses it, 1.33 accepts it', () => {
  const app = new App();
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  new k8s.KubeNamespace(chart, 'Ns', { metadata: { name: 'shop' } });
  new WebApp(chart, 'Api', { name: 'api', image: 'api:1.0', port: 8080, initContainers: [{ name: 'proxy', image: 'proxy:2.1', sidecar: true }] });
  const errors = (version: string) => renderApp(app, { kubernetesVersion: version, upgradeVersions: [] }).report.findings
    .filter((f) => f.severity === 'error').map((f) => f.message);
  expect(errors('1.27').join('\n')).toMatch(/restartPolicy/);
  expect(errors('1.33')).toEqual([]);
});

describe('affinity', () => {
  test('node affinity: required terms (any one) and weighted preferences', () => {
    const pod = podSpec(deploymentOf({
      nodeAffinity: {
        required: [
          { matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64', 'arm64'] }, { key: 'spot', operator: 'DoesNotExist' }] },
          { matchExpressions: [{ key: 'cpu-generation', operator: 'Gt', values: ['3'] }] },
        ],
        preferred: [{ weight: 20, matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['zone-a'] }] }],
      },
    }));
    expect(pod.affinity).toEqual({
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64', 'arm64'] }, { key: 'spot', operator: 'DoesNotExist' }] },
            { matchExpressions: [{ key: 'cpu-generation', operator: 'Gt', values: ['3'] }] },
          ],
        },
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 20, preference: { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['zone-a'] }] } },
        ],
      },
    });
  });

  test('pod affinity and anti-affinity: labels, expressions, namespaces, topology', () => {
    const pod = podSpec(deploymentOf({
      podAffinity: { required: [{ topologyKey: 'topology.kubernetes.io/zone', matchLabels: { 'app.kubernetes.io/name': 'cache' }, namespaces: ['data'] }] },
      podAntiAffinity: {
        preferred: [{ weight: 50, topologyKey: 'kubernetes.io/hostname', matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['batch'] }] }],
      },
    }));
    expect(pod.affinity).toEqual({
      podAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          { labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'cache' } }, namespaces: ['data'], topologyKey: 'topology.kubernetes.io/zone' },
        ],
      },
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [{
          weight: 50,
          podAffinityTerm: { labelSelector: { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['batch'] }] }, topologyKey: 'kubernetes.io/hostname' },
        }],
      },
    });
  });

  test('avoidOwnPods: one pod per node preferred, or a required domain, selected by the workload\'s own selector labels', () => {
    const own = { matchLabels: { 'app.kubernetes.io/name': 'app' } };
    expect(podSpec(deploymentOf({ avoidOwnPods: true, labels: { team: 'shop' } })).affinity).toEqual({
      podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { labelSelector: own, topologyKey: 'kubernetes.io/hostname' } }] },
    });
    expect(podSpec(deploymentOf({
      avoidOwnPods: { topologyKey: 'topology.kubernetes.io/zone', required: true },
      podAntiAffinity: { required: [{ topologyKey: 'kubernetes.io/hostname', matchLabels: { 'app.kubernetes.io/name': 'db' } }] },
    })).affinity.podAntiAffinity).toEqual({
      requiredDuringSchedulingIgnoredDuringExecution: [
        { labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'db' } }, topologyKey: 'kubernetes.io/hostname' },
        { labelSelector: own, topologyKey: 'topology.kubernetes.io/zone' },
      ],
    });
    expect(podSpec(deploymentOf({ avoidOwnPods: { weight: 10 } })).affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight).toBe(10);
  });

  test('is part of StatefulApp, BatchJob and ScheduledJob pods, each avoiding its own pods', () => {
    const chart = newChart();
    new StatefulApp(chart, 'Db', { name: 'db', image: 'db:1', port: 5432, avoidOwnPods: { required: true } });
    new BatchJob(chart, 'Job', { name: 'seed', image: 'seed:1', avoidOwnPods: true });
    new ScheduledJob(chart, 'Cron', { name: 'nightly', image: 'job:1', schedule: '@daily', nodeAffinity: { required: [{ matchExpressions: [{ key: 'batch', operator: 'Exists' }] }] } });
    const objects = synth(chart);
    expect(podSpec(find(objects, 'StatefulSet', 'db-statefulset')).affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector)
      .toEqual({ matchLabels: { 'app.kubernetes.io/name': 'db' } });
    expect(find(objects, 'Job', 'seed-job').spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.labelSelector)
      .toEqual({ matchLabels: { 'app.kubernetes.io/name': 'seed' } });
    expect(find(objects, 'CronJob', 'nightly-cronjob').spec.jobTemplate.spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution)
      .toEqual({ nodeSelectorTerms: [{ matchExpressions: [{ key: 'batch', operator: 'Exists' }] }] });
  });

  test('nothing is written without it, nor for avoidOwnPods: false or empty lists', () => {
    expect(podSpec(deploymentOf()).affinity).toBeUndefined();
    expect(podSpec(deploymentOf({ avoidOwnPods: false, podAffinity: { required: [] }, nodeAffinity: {} })).affinity).toBeUndefined();
  });

  test('node terms are checked: keys, operators and their values, weights, empty terms; all at once', () => {
    expect(problemsOf({
      nodeAffinity: {
        required: [
          { matchExpressions: [
            { key: '-bad', operator: 'Exists' },
            { key: 'a', operator: 'Equals' as never, values: ['x'] },
            { key: 'a', operator: 'In' },
            { key: 'a', operator: 'Exists', values: ['x'] },
            { key: 'a', operator: 'Gt', values: ['1', '2'] },
            { key: 'a', operator: 'Lt', values: ['ten'] },
            { key: 'a', operator: 'NotIn', values: ['ok', 'not ok'] },
          ] },
          { matchExpressions: [] },
        ],
        preferred: [
          { weight: 0, matchExpressions: [{ key: 'a', operator: 'Exists' }] },
          { weight: 101, matchExpressions: [{ key: 'a', operator: 'In', values: ['x'] }] },
          { weight: 2.5, matchExpressions: [{ key: 'a/b/c', operator: 'Exists' }] },
        ],
      },
    })).toEqual([
      'nodeAffinity.required[0].matchExpressions[0].key',
      'nodeAffinity.required[0].matchExpressions[1].operator',
      'nodeAffinity.required[0].matchExpressions[2].values',
      'nodeAffinity.required[0].matchExpressions[3].values',
      'nodeAffinity.required[0].matchExpressions[4].values',
      'nodeAffinity.required[0].matchExpressions[5].values[0]',
      'nodeAffinity.required[0].matchExpressions[6].values[1]',
      'nodeAffinity.required[1].matchExpressions',
      'nodeAffinity.preferred[0].weight',
      'nodeAffinity.preferred[1].weight',
      'nodeAffinity.preferred[2].weight',
      'nodeAffinity.preferred[2].matchExpressions[0].key',
    ]);
    expect(problemsOf({ nodeAffinity: { required: [] } })).toEqual(['nodeAffinity.required']);
    expect(build({ nodeAffinity: { preferred: [{ weight: 101, matchExpressions: [{ key: 'a', operator: 'Exists' }] }] } }))
      .toThrow(invalid('test/App', 'nodeAffinity.preferred[0].weight', 101));
    expect(build({ nodeAffinity: { required: [{ matchExpressions: [{ key: 'a', operator: 'Lt', values: ['ten'] }] }] } }))
      .toThrow(/must be an integer with operator "Lt"/);
  });

  test('pod terms are checked: topologyKey needed and a label key, a selector, label keys and values, namespaces, weights', () => {
    expect(problemsOf({
      podAffinity: {
        required: [
          { topologyKey: '', matchLabels: { a: 'b' } },
          { topologyKey: 'kubernetes.io/hostname' },
          { topologyKey: 'zone', matchLabels: { 'bad key!': 'v', k: 'bad value!' }, namespaces: ['Data'] },
        ],
      },
      podAntiAffinity: {
        preferred: [
          { weight: 0, topologyKey: 'not/a/key', matchExpressions: [{ key: 'a', operator: 'Gt' as never, values: ['1'] }, { key: 'b', operator: 'In' }] },
        ],
      },
      avoidOwnPods: { topologyKey: '', required: true, weight: 5 },
    })).toEqual([
      'podAffinity.required[0].topologyKey',
      'podAffinity.required[1].matchLabels',
      'podAffinity.required[2].matchLabels key',
      'podAffinity.required[2].matchLabels["k"]',
      'podAffinity.required[2].namespaces[0]',
      'podAntiAffinity.preferred[0].weight',
      'podAntiAffinity.preferred[0].topologyKey',
      'podAntiAffinity.preferred[0].matchExpressions[0].operator',
      'podAntiAffinity.preferred[0].matchExpressions[1].values',
      'avoidOwnPods.topologyKey',
      'avoidOwnPods.weight',
    ]);
    expect(build({ podAntiAffinity: { required: [{ topologyKey: '', matchLabels: { a: 'b' } }] } }))
      .toThrow(invalid('test/App', 'podAntiAffinity.required[0].topologyKey', ''));
  });

  test('bad affinity is reported together with the other bad props', () => {
    expect(problemsOf({ replicas: -1, avoidOwnPods: { weight: 0 }, tolerations: [{ value: 'x' }] }))
      .toEqual(['replicas', 'tolerations[0].key', 'avoidOwnPods.weight']);
  });

  test('every kind of term passes the whole-app validation (schema and rules)', () => {
    const app = new App();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new k8s.KubeNamespace(chart, 'Ns', { metadata: { name: 'shop' } });
    new WebApp(chart, 'Api', {
      name: 'api', image: 'api:1.0', port: 8080, replicas: 2,
      nodeAffinity: {
        required: [{ matchExpressions: [{ key: 'kubernetes.io/os', operator: 'In', values: ['linux'] }, { key: 'gen', operator: 'Gt', values: ['2'] }] }],
        preferred: [{ weight: 1, matchExpressions: [{ key: 'spot', operator: 'DoesNotExist' }] }],
      },
      podAffinity: { preferred: [{ weight: 100, topologyKey: 'topology.kubernetes.io/zone', matchLabels: { 'app.kubernetes.io/name': 'cache' }, namespaces: ['data'] }] },
      avoidOwnPods: { required: true },
    });
    const report = renderApp(app).report;
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });
});

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
    for (const field of ['initContainers', 'serviceAccountName', 'imagePullSecrets', 'nodeSelector', 'tolerations', 'priorityClassName', 'terminationGracePeriodSeconds']) {
      expect(pod[field]).toBeUndefined();
    }
    expect(container(deploymentOf()).envFrom).toBeUndefined();
    expect(container(deploymentOf()).lifecycle).toBeUndefined();
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
      .toThrow(invalid('test/App/DisruptionBudget', 'disruptionBudget.minAvailable', 1));
    expect(build({ replicas: 3, disruptionBudget: { minAvailable: '100%' } }))
      .toThrow(invalid('test/App/DisruptionBudget', 'disruptionBudget.minAvailable', '100%'));
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

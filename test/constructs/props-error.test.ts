import * as path from 'path';
import { ServiceType } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  AppConfig, BatchJob, HpaPolicy, IngressedService, Peer, PropsError, RestrictedNamespace, ScheduledJob, StatefulApp, WebApp,
} from '../../lib';
import { createService } from '../../lib/constructs/service';
import { newChart } from '../helpers';

/** The PropsError `build` throws. */
function propsErrorOf(build: () => unknown): PropsError {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(PropsError);
    return error as PropsError;
  }
  throw new Error('expected a PropsError, nothing was thrown');
}

const fields = (error: PropsError) => error.problems.map((p) => p.field);

describe('every bad prop of a construct is reported at once, in one PropsError', () => {
  test('WebApp: port, replicas, a label, a resource and a probe, each on its own line', () => {
    const chart = newChart();
    const error = propsErrorOf(() => new WebApp(chart, 'Api', {
      name: 'api',
      image: 'api:1',
      port: 70000,
      replicas: -1,
      labels: { '-bad': 'x' },
      resources: { requests: { cpu: 'lots' } },
      readiness: { tcpSocket: {}, periodSeconds: 0 },
    }));
    expect(error.path).toBe('test/Api');
    expect(fields(error)).toEqual(['replicas', 'port', 'labels key', 'readiness.periodSeconds', 'resources.requests.cpu']);
    expect(error.problems[1]).toEqual({ path: 'test/Api', field: 'port', value: 70000, allowed: 'must be an integer port from 1 to 65535' });
    expect(error.message.split('\n')).toHaveLength(5);
    expect(error.message.split('\n')[1]).toBe('test/Api: invalid port 70000: must be an integer port from 1 to 65535');
    // Nothing half-built is left behind.
    expect(chart.node.tryFindChild('Api')).toBeUndefined();
  });

  test('WebApp: Service fields without a port and a bad rollout are all named', () => {
    const error = propsErrorOf(() => new WebApp(newChart(), 'Worker', {
      name: 'worker', image: 'worker:1', servicePort: 80, nodePort: 30000, rollout: { maxSurge: '200%', maxUnavailable: -1 },
    }));
    expect(fields(error)).toEqual(['rollout.maxSurge', 'rollout.maxUnavailable', 'servicePort', 'nodePort']);
  });

  test('StatefulApp: name, port, cluster domain and every bad volume claim field', () => {
    const error = propsErrorOf(() => new StatefulApp(newChart(), 'Db', {
      name: 'Db', image: 'db:1', port: 0, clusterDomain: 'Cluster.Local',
      volumeClaims: [{ name: 'data', mountPath: 'data', storage: '0', accessModes: ['ReadWriteSometimes'] }],
      security: { runAsUser: 0 },
    }));
    expect(fields(error)).toEqual([
      'name', 'port', 'clusterDomain', 'volumeClaims[].mountPath', 'volumeClaims[].storage', 'volumeClaims[].accessModes[]', 'security.runAsUser',
    ]);
  });

  test('BatchJob: restart policy, limits, env and command together', () => {
    const error = propsErrorOf(() => new BatchJob(newChart(), 'Seed', {
      name: 'seed', image: 'seed:1', restartPolicy: 'Always' as never, backoffLimit: -1, activeDeadlineSeconds: 0,
      env: { '1BAD': 'x', GOOD: 1 as never }, command: [],
    }));
    expect(fields(error)).toEqual(['restartPolicy', 'backoffLimit', 'activeDeadlineSeconds', 'command', 'env key', 'env["GOOD"]']);
    expect(error.message).toMatch(/^test\/Seed: invalid restartPolicy "Always": must be one of "OnFailure", "Never"$/m);
  });

  test('ScheduledJob: schedule, time zone and job props together', () => {
    const error = propsErrorOf(() => new ScheduledJob(newChart(), 'Nightly', {
      name: 'nightly', image: 'job:1', schedule: '61 * * * *', timeZone: 'Mars/Olympus', backoffLimit: 1.5,
    }));
    expect(fields(error)).toEqual(['schedule', 'timeZone', 'backoffLimit']);
  });

  test('HpaPolicy: replica bounds and every metric', () => {
    const chart = newChart();
    const target = new WebApp(chart, 'Api', { name: 'api', image: 'api:1', port: 8080 });
    const error = propsErrorOf(() => new HpaPolicy(chart, 'Hpa', {
      target, minReplicas: 0, maxReplicas: 0.5, memoryUtilization: 0, memoryAverageValue: '-1Gi',
    }));
    expect(error.path).toBe('test/Hpa');
    expect(fields(error)).toEqual(['minReplicas', 'maxReplicas', 'memoryUtilization', 'memoryAverageValue']);
    // A refused policy does not take the replicas over: a correct one still can.
    expect(() => new HpaPolicy(chart, 'Hpa2', { target, maxReplicas: 3, memoryUtilization: 80 })).not.toThrow();
  });

  test('dependent checks stop at their first problem: a bad min/max pair is not also reported as min > max', () => {
    const chart = newChart();
    const target = new WebApp(chart, 'Api', { name: 'api', image: 'api:1', port: 8080 });
    expect(fields(propsErrorOf(() => new HpaPolicy(chart, 'Hpa', { target, minReplicas: 5, maxReplicas: 2, cpuUtilization: 70 }))))
      .toEqual(['minReplicas']);
    expect(fields(propsErrorOf(() => new HpaPolicy(chart, 'Hpa', { target, maxReplicas: 2 })))).toEqual(['metrics']);
  });

  test('WebApp: a bad Ingress, Service and disruption budget are reported with the pod and workload props', () => {
    const chart = newChart();
    const error = propsErrorOf(() => new WebApp(chart, 'Api', {
      name: 'api', image: 'api:1', port: 8080, replicas: -1,
      servicePort: 70000, serviceType: ServiceType.CLUSTER_IP, nodePort: 30080,
      ingress: { controller: Peer.ingressController(), host: 'API.example.com', path: 'api', ingressClassName: 'Nginx', tls: { secretName: 'TLS' }, annotations: { 'a b': 'c' } },
      disruptionBudget: { maxUnavailable: 0, unhealthyPodEvictionPolicy: 'Never' as never },
      avoidOwnPods: { weight: 0 },
    }));
    expect(error.path).toBe('test/Api');
    expect(error.problems.map((p) => `${p.path} ${p.field}`)).toEqual([
      'test/Api replicas', 'test/Api avoidOwnPods.weight', 'test/Api servicePort', 'test/Api nodePort',
      'test/Api ingress.host', 'test/Api ingress.path', 'test/Api ingress.ingressClassName', 'test/Api ingress.tls.secretName', 'test/Api ingress.annotations key',
      'test/Api disruptionBudget.maxUnavailable', 'test/Api disruptionBudget.unhealthyPodEvictionPolicy',
    ]);
    expect(chart.node.tryFindChild('Api')).toBeUndefined();
  });

  test('WebApp: a name that makes no Service name is reported once, a good one that does not start with a letter once too', () => {
    expect(fields(propsErrorOf(() => new WebApp(newChart(), 'Api', { name: 'Api', image: 'api:1', port: 8080 })))).toEqual(['name']);
    expect(fields(propsErrorOf(() => new WebApp(newChart(), 'Api', { name: '1api', image: 'api:1', port: 8080, replicas: -1 }))))
      .toEqual(['replicas', 'service name (as "<name>-service")']);
  });

  test('StatefulApp: a bad serviceName and disruption budget with the other props', () => {
    expect(fields(propsErrorOf(() => new StatefulApp(newChart(), 'Db', {
      name: 'db', image: 'db:1', port: 5432, replicas: 1.5, serviceName: 'Db', disruptionBudget: { minAvailable: '100%' },
    })))).toEqual(['replicas', 'serviceName', 'disruptionBudget.minAvailable']);
  });

  test('IngressedService: name, every routing field and the Service fields together', () => {
    const chart = newChart();
    const target = new WebApp(chart, 'App', { name: 'app', image: 'app:1', port: 8080 });
    const error = propsErrorOf(() => new IngressedService(chart, 'Public', {
      name: 'Public', target, host: 'https://x', path: 'x', pathType: 'Regex' as never, annotations: { 'a b': 'c' },
      controller: 'ingress-nginx' as never, targetPort: 'admin', port: 0, serviceType: 'ExternalName' as never,
    }));
    expect(error.path).toBe('test/Public');
    expect(fields(error)).toEqual(['name', 'host', 'path', 'pathType', 'annotations key', 'controller', 'targetPort', 'port', 'serviceType']);
    expect(chart.node.tryFindChild('Public')).toBeUndefined();
  });

  test('createService: name, target port, port, node port and a headless NodePort together', () => {
    const chart = newChart();
    const target = new WebApp(chart, 'App', { name: 'app', image: 'app:1', port: 8080 });
    const scope = new Construct(chart, 'Extra');
    expect(fields(propsErrorOf(() => createService(scope, 'Service', {
      name: 'extra', serviceName: '9lives', target, targetPort: 9090, port: 70000, nodePort: 1, serviceType: ServiceType.NODE_PORT, headless: true,
    })))).toEqual(['serviceName', 'targetPort', 'port', 'nodePort', 'serviceType']);
    const worker = new WebApp(chart, 'Worker', { name: 'worker', image: 'w:1' });
    expect(fields(propsErrorOf(() => createService(scope, 'Service2', { name: 'w', target: worker, nodePort: 30000 }))))
      .toEqual(['target', 'nodePort']);
  });

  test('RestrictedNamespace: name, level, version and the default-deny switches together', () => {
    const chart = newChart();
    const error = propsErrorOf(() => new RestrictedNamespace(chart, 'Ns', {
      name: 'Shop', podSecurity: 'strict' as never, podSecurityVersion: '1.27', defaultDenyIngress: 'yes' as never, defaultDenyEgress: 0 as never,
    }));
    expect(fields(error)).toEqual(['name', 'podSecurity', 'podSecurityVersion', 'defaultDenyIngress', 'defaultDenyEgress']);
    expect(chart.node.tryFindChild('Ns')).toBeUndefined();
  });

  test('AppConfig: name, labels, immutable, every bad key and value, a missing file, together', () => {
    const chart = newChart();
    const error = propsErrorOf(() => new AppConfig(chart, 'Config', {
      name: 'web', configMapName: 'web.config', labels: { 'a b': 'c' }, immutable: 'no' as never,
      data: { 'my key': 'x', PORT: 8080 as never, ok: 'fine' },
      files: { ok: path.join(__dirname, 'props-error.test.ts'), missing: 'no/such/file' },
    }));
    expect(fields(error)).toEqual(['configMapName', 'labels key', 'immutable', 'data key', 'data["PORT"]', 'files key', 'files["missing"]']);
    expect(chart.node.tryFindChild('Config')).toBeUndefined();
  });

  test('AppConfig: the size limit is reported with a bad key', () => {
    expect(fields(propsErrorOf(() => new AppConfig(newChart(), 'Config', {
      name: 'web', data: { big: 'x'.repeat(1024 * 1024), '..': 'y', z: 'z' },
    })))).toEqual(['data key', 'data and files']);
  });
});

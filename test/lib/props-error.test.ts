import { BatchJob, HpaPolicy, PropsError, ScheduledJob, StatefulApp, WebApp } from '../../lib';
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
});

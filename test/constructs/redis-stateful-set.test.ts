import { HpaPolicy, RedisStatefulSet, RedisStatefulSetProps } from '../../lib';
import { REDIS_PORT } from '../../lib/constructs/redis-stateful-set';
import { container, find, invalid, mountAt, newChart, podSpec, synth, testChartLabels } from '../helpers';

function make(props: RedisStatefulSetProps = {}, chart = newChart()) {
  const redis = new RedisStatefulSet(chart, 'Redis', props);
  return { chart, redis, objects: synth(chart) };
}

describe('RedisStatefulSet', () => {
  test('defaults: redis-statefulset, headless redis-service on 6379, /data on an emptyDir', () => {
    const { redis, objects } = make();
    expect(REDIS_PORT).toBe(6379);
    expect(find(objects, 'Service', 'redis-service').spec.clusterIP).toBe('None');
    const set = find(objects, 'StatefulSet', 'redis-statefulset');
    expect(set.spec.serviceName).toBe('redis-service');
    expect(container(set).image).toBe('redis:7.0.11-alpine');
    expect(set.spec.volumeClaimTemplates).toBeUndefined();
    expect(mountAt(set, '/data').volume).toEqual({ name: 'data', emptyDir: {} });
    expect(podSpec(set).securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999, runAsGroup: 1000, fsGroup: 1000 });
    expect(container(set).readinessProbe).toEqual({ exec: { command: ['redis-cli', 'ping'] }, periodSeconds: 5 });
    expect(container(set).livenessProbe).toEqual({ tcpSocket: { port: 'redis' }, periodSeconds: 10, failureThreshold: 3 });
    expect(redis.podAddress()).toBe('redis-statefulset-0.redis-service.default.svc.cluster.local:6379');
  });

  test('storage puts /data on a persistent claim instead', () => {
    const set = find(make({ storage: '2Gi', storageClassName: 'standard' }).objects, 'StatefulSet', 'redis-statefulset');
    expect(set.spec.volumeClaimTemplates).toEqual([{
      metadata: { name: 'data', labels: testChartLabels('redis', { 'app.kubernetes.io/component': 'cache' }) },
      spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'standard', resources: { requests: { storage: '2Gi' } } },
    }]);
    expect(mountAt(set, '/data').mount).toEqual({ name: 'data', mountPath: '/data' });
    expect(mountAt(set, '/data').volume).toBeUndefined();
    expect(podSpec(set).volumes).toBeUndefined();
  });

  test('validation', () => {
    expect(() => make({ replicas: 3 })).toThrow(invalid('test/Redis', 'replicas', 3));
    expect(() => make({ storage: '2 GiB' })).toThrow(invalid('test/Redis', 'volumeClaims[].storage', '2 GiB'));
    expect(() => make({ name: 'Cache' })).toThrow(invalid('test/Redis', 'name', 'Cache'));
  });

  test('storageClassName without storage is refused: there would be no claim to give it to', () => {
    const chart = newChart();
    expect(() => new RedisStatefulSet(chart, 'Redis', { storageClassName: 'fast' })).toThrow(invalid('test/Redis', 'storageClassName', 'fast'));
    expect(chart.node.tryFindChild('Redis')).toBeUndefined();
  });

  test('an HPA on Redis is refused: by the type, and at run time for unchecked callers', () => {
    const chart = newChart();
    const redis = new RedisStatefulSet(chart, 'Redis');
    // A single Redis server is no IAutoscalable, so HpaPolicy's target type refuses it (`npm test` type-checks this line).
    // @ts-expect-error
    expect(() => new HpaPolicy(chart, 'Hpa', { target: redis, maxReplicas: 3, cpuUtilization: 80 })).toThrow(invalid('test/Hpa', 'target', 'redis'));
    expect(synth(chart).some((o) => o.kind === 'HorizontalPodAutoscaler')).toBe(false);
  });

  test('a bad prop creates no objects', () => {
    const chart = newChart();
    expect(() => new RedisStatefulSet(chart, 'Redis', { replicas: 2 })).toThrow(/^test\/Redis/);
    expect(synth(chart)).toEqual([]);
  });
});

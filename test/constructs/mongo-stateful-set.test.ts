import { HpaPolicy, MongoStatefulSet, MongoStatefulSetProps } from '../../lib';
import { MONGO_PORT, MONGO_UID } from '../../lib/constructs/mongo-stateful-set';
import { container, envOf, find, invalid, mountAt, newChart, podSpec, synth } from '../helpers';

function make(props: MongoStatefulSetProps = {}, chart = newChart()) {
  const mongo = new MongoStatefulSet(chart, 'Mongo', props);
  return { chart, mongo, objects: synth(chart) };
}

describe('MongoStatefulSet', () => {
  const { mongo, objects } = make();
  const set = find(objects, 'StatefulSet', 'mongodb-statefulset');

  test('defaults: mongodb-statefulset governed by the headless mongodb-service on 27017', () => {
    expect(MONGO_PORT).toBe(27017);
    const service = find(objects, 'Service', 'mongodb-service');
    expect(service.spec.clusterIP).toBe('None');
    expect(service.spec.ports).toEqual([{ name: 'mongodb', port: 27017, targetPort: 'mongodb', protocol: 'TCP' }]);
    expect(set.spec.serviceName).toBe('mongodb-service');
    expect(set.spec.replicas).toBe(1);
    expect(container(set).image).toBe('mongo:6.0.6');
    expect(mongo.podAddress()).toBe('mongodb-statefulset-0.mongodb-service.default.svc.cluster.local:27017');
  });

  test('serviceName passes through the preset: the compose host name `mongo`', () => {
    const named = make({ name: 'mongo', serviceName: 'mongo' });
    expect(find(named.objects, 'Service', 'mongo').spec.clusterIP).toBe('None');
    expect(named.mongo.podAddress()).toBe('mongo-statefulset-0.mongo.default.svc.cluster.local:27017');
  });

  test('root user and password file from the Secret mounted read-only', () => {
    expect(envOf(set)).toEqual({
      MONGO_INITDB_ROOT_USERNAME: { name: 'MONGO_INITDB_ROOT_USERNAME', value: 'root' },
      MONGO_INITDB_ROOT_PASSWORD_FILE: { name: 'MONGO_INITDB_ROOT_PASSWORD_FILE', value: '/run/secrets/mongodb/password.txt' },
    });
    const secret = mountAt(set, '/run/secrets/mongodb');
    expect(secret.mount.readOnly).toBe(true);
    expect(secret.volume).toEqual({ name: 'mongodb-secret-volume', secret: { secretName: 'mongodb-secret', optional: false } });
    expect(mongo.passwordFile).toBe('/run/secrets/mongodb/password.txt');
    expect(mongo.passwordSecretMount).toEqual({ secretName: 'mongodb-secret', mountPath: '/run/secrets/mongodb' });
    expect(mongo.rootUsername).toBe('root');
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
  });

  test('/data/db on a 1Gi ReadWriteOnce claim by default', () => {
    expect(set.spec.volumeClaimTemplates).toEqual([{
      metadata: { name: 'data' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    }]);
    expect(mountAt(set, '/data/db').mount).toEqual({ name: 'data', mountPath: '/data/db' });
  });

  test('runs as the image user 999 with a writable /tmp and TCP probes', () => {
    expect(MONGO_UID).toBe(999);
    expect(podSpec(set).securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, fsGroup: 999 });
    expect(container(set).securityContext.readOnlyRootFilesystem).toBe(true);
    expect(mountAt(set, '/tmp').volume).toEqual({ name: 'tmp', emptyDir: {} });
    const c = container(set);
    expect(c.livenessProbe.tcpSocket).toEqual({ port: 'mongodb' });
    expect(c.readinessProbe.tcpSocket).toEqual({ port: 'mongodb' });
    expect(c.livenessProbe).toMatchObject({ periodSeconds: 10, failureThreshold: 6 });
    expect(c.readinessProbe).toMatchObject({ periodSeconds: 5 });
    expect(c.startupProbe).toEqual({ tcpSocket: { port: 'mongodb' }, periodSeconds: 5, failureThreshold: 60 });
    expect(c.resources).toEqual({ requests: { cpu: '250m', memory: '512Mi' }, limits: { memory: '1Gi' } });
  });

  test('custom user, secret, storage, extra env', () => {
    const custom = make({
      name: 'db', rootUsername: 'admin', storage: '100Mi', storageClassName: 'standard',
      passwordSecret: { secretName: 'db-pass', key: 'pw', mountPath: '/secrets/' }, env: { TZ: 'UTC' },
    });
    const s = find(custom.objects, 'StatefulSet', 'db-statefulset');
    expect(envOf(s).MONGO_INITDB_ROOT_USERNAME.value).toBe('admin');
    expect(envOf(s).MONGO_INITDB_ROOT_PASSWORD_FILE.value).toBe('/secrets/pw');
    expect(envOf(s).TZ.value).toBe('UTC');
    expect(mountAt(s, '/secrets/').volume!.secret.secretName).toBe('db-pass');
    expect(s.spec.volumeClaimTemplates[0].spec).toEqual({ accessModes: ['ReadWriteOnce'], storageClassName: 'standard', resources: { requests: { storage: '100Mi' } } });
  });

  test('validation', () => {
    expect(() => make({ replicas: 2 })).toThrow(invalid('test/Mongo', 'replicas', 2));
    expect(() => make({ replicas: 0 })).toThrow(invalid('test/Mongo', 'replicas', 0));
    expect(() => make({ rootUsername: ' ' })).toThrow(invalid('test/Mongo', 'rootUsername', ' '));
    expect(() => make({ passwordSecret: { secretName: 'Secret' } })).toThrow(invalid('test/Mongo', 'secretMounts[].secretName', 'Secret'));
    expect(() => make({ passwordSecret: { key: 'pass word' } })).toThrow(invalid('test/Mongo', 'passwordSecret.key', 'pass word'));
    expect(() => make({ storage: 'lots' })).toThrow(invalid('test/Mongo', 'volumeClaims[].storage', 'lots'));
  });

  test('an HPA on Mongo is refused: by the type, and at run time for unchecked callers', () => {
    const chart = newChart();
    const db = new MongoStatefulSet(chart, 'Mongo');
    // A standalone mongod is no IAutoscalable, so HpaPolicy's target type refuses it (`npm test` type-checks this line).
    // @ts-expect-error
    expect(() => new HpaPolicy(chart, 'Hpa', { target: db, maxReplicas: 3, cpuUtilization: 80 })).toThrow(invalid('test/Hpa', 'target', 'mongodb'));
    expect(chart.node.tryFindChild('Hpa')).toBeUndefined();
    expect(synth(chart).filter((o) => o.kind === 'HorizontalPodAutoscaler')).toEqual([]);
    expect(find(synth(chart), 'StatefulSet', 'mongodb-statefulset').spec.replicas).toBe(1);
  });

  test.each<[string, MongoStatefulSetProps]>([
    ['replicas 2', { replicas: 2 }],
    ['bad key', { passwordSecret: { key: 'a/b' } }],
    ['empty root user', { rootUsername: '' }],
  ])('a bad prop creates no objects: %s', (_, props) => {
    const chart = newChart();
    expect(() => new MongoStatefulSet(chart, 'Mongo', props)).toThrow(/^test\/Mongo/);
    expect(synth(chart)).toEqual([]);
  });
});

describe('MongoStatefulSet WiredTiger cache and writable paths', () => {
  const argsOf = (props: MongoStatefulSetProps) => {
    const chart = newChart();
    new MongoStatefulSet(chart, 'Mongo', props);
    return container(find(synth(chart), 'StatefulSet', 'mongodb-statefulset')).args;
  };

  test('the cache is sized from the memory limit as mongod would on a host that size, at least 0.25 GB', () => {
    expect(argsOf({})).toEqual(['--wiredTigerCacheSizeGB', '0.25']);
    expect(argsOf({ resources: { limits: { memory: '4Gi' } } })).toEqual(['--wiredTigerCacheSizeGB', '1.5']);
    expect(argsOf({ wiredTigerCacheSizeGB: 2, args: ['--quiet'] })).toEqual(['--quiet', '--wiredTigerCacheSizeGB', '2']);
  });

  test('refuses a cache below mongod\'s minimum', () => {
    expect(() => new MongoStatefulSet(newChart(), 'Mongo', { wiredTigerCacheSizeGB: 0.1 })).toThrow(invalid('test/Mongo', 'wiredTigerCacheSizeGB', 0.1));
  });

  test('/data/configdb, the image\'s second volume, is writable on the read-only root', () => {
    const chart = newChart();
    new MongoStatefulSet(chart, 'Mongo');
    const { mount, volume } = mountAt(find(synth(chart), 'StatefulSet', 'mongodb-statefulset'), '/data/configdb');
    expect(mount).toBeDefined();
    expect(volume?.emptyDir).toEqual({});
  });
});

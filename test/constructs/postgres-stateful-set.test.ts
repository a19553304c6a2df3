import { PostgresStatefulSet, PostgresStatefulSetProps, PropsError } from '../../lib';
import { container, envOf, find, mountAt, newChart, podSpec, synth, testChartLabels } from '../helpers';

function make(props: PostgresStatefulSetProps = {}, chart = newChart()) {
  const postgres = new PostgresStatefulSet(chart, 'Postgres', props);
  return { chart, postgres, objects: synth(chart) };
}

function problemsOf(props: PostgresStatefulSetProps): string[] {
  try {
    make(props);
  } catch (error) {
    expect(error).toBeInstanceOf(PropsError);
    return (error as PropsError).problems.map((p) => `${p.field} ${JSON.stringify(p.value)}`);
  }
  throw new Error('expected a PropsError');
}

describe('PostgresStatefulSet', () => {
  const { postgres, objects } = make();
  const set = find(objects, 'StatefulSet', 'postgres-statefulset');

  test('nodePorts passes through to StatefulApp: postgres-service-nodeport on 5432, admitted from any address; another port is refused', () => {
    const published = make({ nodePorts: [5432] }).objects;
    expect(find(published, 'Service', 'postgres-service-nodeport').spec).toMatchObject({ type: 'NodePort', ports: [{ name: 'postgres', port: 5432, targetPort: 'postgres', protocol: 'TCP' }] });
    expect(find(published, 'NetworkPolicy', 'postgres-network-policy').spec.ingress).toEqual([{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 5432, protocol: 'TCP' }] }]);
    expect(problemsOf({ nodePorts: [9187] })).toEqual(['nodePorts[0] 9187']);
  });

  test('defaults: postgres-statefulset with the pinned image, governed by the headless postgres-service on 5432', () => {
    const service = find(objects, 'Service', 'postgres-service');
    expect(service.spec.clusterIP).toBe('None');
    expect(service.spec.ports).toEqual([{ name: 'postgres', port: 5432, targetPort: 'postgres', protocol: 'TCP' }]);
    expect(set.spec.replicas).toBe(1);
    expect(container(set).image).toBe('postgres:16.4');
    expect(postgres.podAddress()).toBe('postgres-statefulset-0.postgres-service.default.svc.cluster.local:5432');
    expect(set.metadata.labels).toEqual(testChartLabels('postgres', { 'app.kubernetes.io/component': 'database', 'app.kubernetes.io/version': '16.4' }));
  });

  test('the superuser, its database, its password file from the Secret, and PGDATA one folder below the volume', () => {
    expect(envOf(set)).toEqual({
      POSTGRES_USER: { name: 'POSTGRES_USER', value: 'postgres' },
      POSTGRES_DB: { name: 'POSTGRES_DB', value: 'postgres' },
      POSTGRES_PASSWORD_FILE: { name: 'POSTGRES_PASSWORD_FILE', value: '/run/secrets/postgres/password' },
      PGDATA: { name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' },
    });
    const secret = mountAt(set, '/run/secrets/postgres');
    expect(secret.mount.readOnly).toBe(true);
    expect(secret.volume).toEqual({ name: 'postgres-secret-volume', secret: { secretName: 'postgres-secret', optional: false } });
    expect(postgres.passwordFile).toBe('/run/secrets/postgres/password');
    expect(postgres.passwordSecretMount).toEqual({ secretName: 'postgres-secret', mountPath: '/run/secrets/postgres' });
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
  });

  test('the data volume: a 1Gi claim at /var/lib/postgresql/data', () => {
    expect(set.spec.volumeClaimTemplates).toEqual([{
      metadata: { name: 'data' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    }]);
    expect(mountAt(set, '/var/lib/postgresql/data').mount).toEqual({ name: 'data', mountPath: '/var/lib/postgresql/data' });
  });

  test('runs as the image\'s postgres user, 999, with the socket folder and /tmp writable; pg_isready on TCP', () => {
    expect(podSpec(set).securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, fsGroup: 999 });
    expect(container(set).securityContext.readOnlyRootFilesystem).toBe(true);
    expect(mountAt(set, '/var/run/postgresql').volume).toEqual({ name: 'var-run-postgresql', emptyDir: {} });
    expect(mountAt(set, '/tmp').volume).toEqual({ name: 'tmp', emptyDir: {} });
    const c = container(set);
    expect(c.readinessProbe).toEqual({ exec: { command: ['pg_isready', '-h', '127.0.0.1', '-p', '5432', '-U', 'postgres', '-d', 'postgres'] }, periodSeconds: 5 });
    expect(c.livenessProbe).toEqual({ tcpSocket: { port: 'postgres' }, periodSeconds: 10, failureThreshold: 6 });
    expect(c.startupProbe).toEqual({ tcpSocket: { port: 'postgres' }, periodSeconds: 5, failureThreshold: 60 });
    expect(c.resources).toEqual({ requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' } });
  });

  test('postgres 18 keeps the image\'s own PGDATA, already one folder below its volume at /var/lib/postgresql', () => {
    const set18 = find(make({ image: 'postgres:18.1' }).objects, 'StatefulSet', 'postgres-statefulset');
    expect(envOf(set18).PGDATA).toBeUndefined();
    expect(mountAt(set18, '/var/lib/postgresql').mount).toEqual({ name: 'data', mountPath: '/var/lib/postgresql' });
  });

  test('an alpine image runs as its uid 70', () => {
    const alpine = find(make({ image: 'postgres:16.4-alpine' }).objects, 'StatefulSet', 'postgres-statefulset');
    expect(podSpec(alpine).securityContext).toMatchObject({ runAsUser: 70, runAsGroup: 70, fsGroup: 70 });
  });

  test('custom user, database, secret, storage; extra env passes through', () => {
    const custom = make({
      name: 'db', user: 'shop', database: 'orders', storage: '5Gi', storageClassName: 'fast',
      passwordSecret: { secretName: 'db-pass', key: 'pw' }, env: { POSTGRES_INITDB_ARGS: '--data-checksums' },
    });
    const s = find(custom.objects, 'StatefulSet', 'db-statefulset');
    expect(envOf(s).POSTGRES_USER.value).toBe('shop');
    expect(envOf(s).POSTGRES_DB.value).toBe('orders');
    expect(envOf(s).POSTGRES_PASSWORD_FILE.value).toBe('/run/secrets/postgres/pw');
    expect(envOf(s).POSTGRES_INITDB_ARGS.value).toBe('--data-checksums');
    expect(mountAt(s, '/run/secrets/postgres').volume!.secret.secretName).toBe('db-pass');
    expect(container(s).readinessProbe.exec.command).toEqual(['pg_isready', '-h', '127.0.0.1', '-p', '5432', '-U', 'shop', '-d', 'orders']);
    expect(s.spec.volumeClaimTemplates[0].spec).toEqual({ accessModes: ['ReadWriteOnce'], storageClassName: 'fast', resources: { requests: { storage: '5Gi' } } });
    expect(custom.postgres.user).toBe('shop');
    expect(custom.postgres.database).toBe('orders');
    // The database defaults to the user's name, as the image does.
    expect(envOf(find(make({ user: 'shop' }).objects, 'StatefulSet', 'postgres-statefulset')).POSTGRES_DB.value).toBe('shop');
  });

  test('every bad prop at once: the preset\'s and the StatefulApp\'s', () => {
    expect(problemsOf({
      replicas: 2, user: '', passwordSecret: { secretName: 'Bad_Name', key: 'a/b' }, storage: 'lots', resources: { limits: { memory: '1Gx' } },
    })).toEqual([
      'volumeClaims[].storage "lots"',
      'secretMounts[].secretName "Bad_Name"',
      'resources.limits.memory "1Gx"',
      'secretMounts[].secretName (as a volume name with "-volume") "Bad_Name-volume"',
      'user ""',
      'database ""',
      'passwordSecret.key "a/b"',
      'replicas 2',
    ]);
  });
});

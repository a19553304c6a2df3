import { MysqlStatefulSet, MysqlStatefulSetProps, PropsError } from '../../lib';
import { container, envOf, find, invalid, mountAt, newChart, podSpec, synth, testChartLabels } from '../helpers';

function make(props: MysqlStatefulSetProps = {}, chart = newChart()) {
  const mysql = new MysqlStatefulSet(chart, 'Db', props);
  return { chart, mysql, objects: synth(chart) };
}

describe('MysqlStatefulSet, flavour mysql (the default)', () => {
  const { mysql, objects } = make();
  const set = find(objects, 'StatefulSet', 'mysql-statefulset');

  test('mysql-statefulset with the pinned image, governed by the headless mysql-service on 3306', () => {
    expect(mysql.flavour).toBe('mysql');
    expect(container(set).image).toBe('mysql:8.4.3');
    expect(find(objects, 'Service', 'mysql-service').spec).toMatchObject({
      clusterIP: 'None', ports: [{ name: 'mysql', port: 3306, targetPort: 'mysql', protocol: 'TCP' }], selector: { 'app.kubernetes.io/name': 'mysql' },
    });
    expect(mysql.podAddress()).toBe('mysql-statefulset-0.mysql-service.default.svc.cluster.local:3306');
    expect(set.spec.template.metadata.labels).toEqual(testChartLabels('mysql', { 'app.kubernetes.io/component': 'database', 'app.kubernetes.io/version': '8.4.3' }));
  });

  test('the root password file from the Secret; the data one folder below the volume, which may hold lost+found', () => {
    expect(envOf(set)).toEqual({ MYSQL_ROOT_PASSWORD_FILE: { name: 'MYSQL_ROOT_PASSWORD_FILE', value: '/run/secrets/mysql/password' } });
    expect(mountAt(set, '/run/secrets/mysql').volume).toEqual({ name: 'mysql-secret-volume', secret: { secretName: 'mysql-secret', optional: false } });
    expect(mysql.passwordFile).toBe('/run/secrets/mysql/password');
    expect(mysql.passwordSecretMount).toEqual({ secretName: 'mysql-secret', mountPath: '/run/secrets/mysql' });
    expect(container(set).args).toEqual(['--datadir=/var/lib/mysql/data']);
    expect(mountAt(set, '/var/lib/mysql').mount).toEqual({ name: 'data', mountPath: '/var/lib/mysql' });
    expect(set.spec.volumeClaimTemplates[0].spec).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } });
  });

  test('runs as the image\'s mysql user, 999, with /var/run/mysqld and /tmp writable; mysqladmin ping on TCP', () => {
    expect(podSpec(set).securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, fsGroup: 999 });
    expect(mountAt(set, '/var/run/mysqld').volume).toEqual({ name: 'var-run-mysqld', emptyDir: {} });
    expect(mountAt(set, '/tmp').volume).toEqual({ name: 'tmp', emptyDir: {} });
    const c = container(set);
    expect(c.readinessProbe).toEqual({ exec: { command: ['mysqladmin', 'ping', '-h', '127.0.0.1', '--silent'] }, periodSeconds: 5 });
    expect(c.livenessProbe).toEqual({ tcpSocket: { port: 'mysql' }, periodSeconds: 10, failureThreshold: 6 });
    expect(c.startupProbe).toEqual({ tcpSocket: { port: 'mysql' }, periodSeconds: 5, failureThreshold: 60 });
    expect(c.resources).toEqual({ requests: { cpu: '250m', memory: '512Mi' }, limits: { memory: '1Gi' } });
  });

  test('a database, extra env and args pass through', () => {
    const s = find(make({ database: 'shop', env: { MYSQL_USER: 'shop' }, args: ['--character-set-server=utf8mb4'] }).objects, 'StatefulSet', 'mysql-statefulset');
    expect(envOf(s).MYSQL_DATABASE.value).toBe('shop');
    expect(envOf(s).MYSQL_USER.value).toBe('shop');
    expect(container(s).args).toEqual(['--datadir=/var/lib/mysql/data', '--character-set-server=utf8mb4']);
  });
});

describe('MysqlStatefulSet, flavour mariadb', () => {
  const { mysql, objects } = make({ flavour: 'mariadb', database: 'shop' });
  const set = find(objects, 'StatefulSet', 'mariadb-statefulset');

  test('the MariaDB image, its variables, its socket folder and its own health check; the data at the volume\'s root', () => {
    expect(mysql.flavour).toBe('mariadb');
    expect(container(set).image).toBe('mariadb:11.4.4');
    expect(envOf(set)).toEqual({
      MARIADB_ROOT_PASSWORD_FILE: { name: 'MARIADB_ROOT_PASSWORD_FILE', value: '/run/secrets/mariadb/password' },
      MARIADB_DATABASE: { name: 'MARIADB_DATABASE', value: 'shop' },
    });
    expect(mountAt(set, '/run/mysqld').volume).toEqual({ name: 'run-mysqld', emptyDir: {} });
    expect(container(set).args).toBeUndefined();
    expect(container(set).readinessProbe.exec.command).toEqual(['healthcheck.sh', '--connect', '--innodb_initialized']);
    expect(podSpec(set).securityContext).toMatchObject({ runAsUser: 999, runAsGroup: 999, fsGroup: 999 });
    expect(find(objects, 'Service', 'mariadb-service').spec.ports[0].port).toBe(3306);
  });

  test('a mariadb image selects the flavour; a contradicting flavour is refused', () => {
    expect(make({ image: 'docker.io/library/mariadb:11.4.4' }).mysql.flavour).toBe('mariadb');
    expect(() => make({ flavour: 'mysql', image: 'mariadb:11.4.4' })).toThrow(invalid('test/Db', 'image', 'mariadb:11.4.4'));
    expect(() => make({ flavour: 'postgres' as 'mysql' })).toThrow(invalid('test/Db', 'flavour', 'postgres'));
  });
});

test('MysqlStatefulSet reports every bad prop at once', () => {
  try {
    make({ replicas: 3, database: '', passwordSecret: { key: 'a b' }, storage: '-1Gi' });
    throw new Error('expected a PropsError');
  } catch (error) {
    expect(error).toBeInstanceOf(PropsError);
    expect((error as PropsError).problems.map((p) => p.field)).toEqual(['volumeClaims[].storage', 'database', 'passwordSecret.key', 'replicas']);
  }
  const chart = newChart();
  expect(() => new MysqlStatefulSet(chart, 'Db', { replicas: 2 })).toThrow(/must be 1: this construct runs a standalone MySQL server/);
  expect(synth(chart)).toEqual([]);
});

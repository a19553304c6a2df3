import { MongoStatefulSet, MysqlStatefulSet, RedisStatefulSet, StatefulApp, WebApp, WebAppProps } from '../../lib';
import { find, invalid, newChart, podSpec, synth } from '../helpers';

function webApp(props: Partial<WebAppProps>) {
  const chart = newChart();
  new WebApp(chart, 'App', { name: 'web', image: 'app:1.0', ...props });
  return find(synth(chart), 'Deployment', 'web-deployment');
}

function webAppError(props: Partial<WebAppProps>): string {
  try {
    webApp(props);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('no error');
}

type Obj = Record<string, any>;
const mountPaths = (workload: Obj) => (podSpec(workload).containers[0].volumeMounts ?? []).map((m: Obj) => m.mountPath);

describe('images the table of image needs knows', () => {
  test('nginx on a port from 1024 up runs as its own user 101 with its cache, run and tmp dirs writable', () => {
    const deployment = webApp({ image: 'nginx:1.27.0', port: 8080 });
    expect(podSpec(deployment).securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 101, runAsGroup: 101, fsGroup: 101 });
    expect(mountPaths(deployment)).toEqual(['/var/cache/nginx', '/run', '/tmp']);
    expect(podSpec(deployment).containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
  });

  test('nginx on port 80 runs as 101 too: the pod lowers net.ipv4.ip_unprivileged_port_start to 80, with no capability and no root', () => {
    const deployment = webApp({ image: 'nginx:1.27.0', port: 80 });
    expect(podSpec(deployment).securityContext).toEqual({
      runAsNonRoot: true, runAsUser: 101, runAsGroup: 101, fsGroup: 101, seccompProfile: { type: 'RuntimeDefault' },
      sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '80' }],
    });
    expect(podSpec(deployment).containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(podSpec(deployment).hostNetwork).toBeUndefined();
    expect(mountPaths(deployment)).toEqual(['/var/cache/nginx', '/run', '/tmp']);
  });

  test('the unprivileged variant just works: uid 101, only /tmp writable', () => {
    const deployment = webApp({ image: 'nginxinc/nginx-unprivileged:1.27', port: 8080 });
    expect(podSpec(deployment).securityContext).toMatchObject({ runAsUser: 101, fsGroup: 101 });
    expect(mountPaths(deployment)).toEqual(['/tmp']);
  });

  test('a path the image writes that a claim is mounted at gets no emptyDir over it', () => {
    const chart = newChart();
    new StatefulApp(chart, 'Mq', {
      name: 'mq', image: 'rabbitmq:3.13.7', port: 5672,
      volumeClaims: [{ name: 'scratch', mountPath: '/tmp', storage: '1Gi' }, { name: 'data', mountPath: '/var/lib/rabbitmq', storage: '1Gi' }],
    });
    const set = find(synth(chart), 'StatefulSet', 'mq-statefulset');
    expect((podSpec(set).volumes ?? []).filter((v: Obj) => v.emptyDir)).toEqual([]);
    expect(mountPaths(set).sort()).toEqual(['/tmp', '/var/lib/rabbitmq']);
  });

  test('rabbitmq runs as its own user: 999:999 on Ubuntu, 100:101 in the alpine images; only /tmp and its data writable (it logs to the console)', () => {
    const chart = newChart();
    for (const [name, image] of [['ubuntu', 'rabbitmq:4.0.9'], ['alpine', 'rabbitmq:4.0.9-alpine']]) {
      new StatefulApp(chart, name, { name, image, port: 5672, volumeClaims: [{ name: 'data', mountPath: '/var/lib/rabbitmq', storage: '1Gi' }] });
    }
    const objects = synth(chart);
    const ubuntu = find(objects, 'StatefulSet', 'ubuntu-statefulset');
    const alpine = find(objects, 'StatefulSet', 'alpine-statefulset');
    expect(podSpec(ubuntu).securityContext).toMatchObject({ runAsUser: 999, runAsGroup: 999, fsGroup: 999 });
    expect(podSpec(alpine).securityContext).toMatchObject({ runAsUser: 100, runAsGroup: 101, fsGroup: 101 });
    expect(mountPaths(alpine)).toEqual(['/var/lib/rabbitmq', '/tmp']);
  });

  test('grafana logs to the console: its data path and /tmp are its only writable paths', () => {
    const deployment = webApp({ image: 'grafana/grafana:11.3.1', port: 3000 });
    expect(podSpec(deployment).securityContext).toMatchObject({ runAsUser: 472, runAsGroup: 0, fsGroup: 0 });
    expect(mountPaths(deployment)).toEqual(['/tmp', '/var/lib/grafana']);
  });

  test('wordpress, httpd and traefik on port 80 run non-root the same way, each with the paths it writes', () => {
    const sysctls = (props: Partial<WebAppProps>) => podSpec(webApp(props)).securityContext.sysctls;
    for (const image of ['wordpress:6.6', 'httpd:2.4', 'traefik:2.2']) {
      expect(sysctls({ image, port: 80 })).toEqual([{ name: 'net.ipv4.ip_unprivileged_port_start', value: '80' }]);
    }
    const wordpress = webApp({ image: 'wordpress:6.6', port: 80 });
    expect(podSpec(wordpress).securityContext).toMatchObject({ runAsUser: 33, runAsGroup: 33 });
    expect(mountPaths(wordpress)).toEqual(['/var/run/apache2', '/var/lock/apache2', '/tmp', '/var/www/html']);
    expect(mountPaths(webApp({ image: 'httpd:2.4', port: 80 }))).toEqual(['/usr/local/apache2/logs', '/tmp']);
  });

  test('writable paths given for a known image must cover what it writes, or it is refused naming the paths and the fixes', () => {
    const message = webAppError({ image: 'nginx:1.27.0', port: 8080, security: { writablePaths: ['/tmp'] } });
    expect(message).toMatch(invalid('test/App', 'security.writablePaths', ['/tmp']));
    expect(message).toContain('leaves /var/cache/nginx, /run read-only, which image "nginx:1.27.0" writes');
    expect(message).toContain('use nginxinc/nginx-unprivileged');
    expect(message).toContain('leave writablePaths out to get the image\'s own: ["/var/cache/nginx","/run","/tmp"]');
    // Covered by a writable volume, or by a writable root, the paths are fine.
    expect(() => webApp({
      image: 'nginx:1.27.0', port: 8080, security: { writablePaths: ['/tmp', '/run'] },
      volumes: [{ name: 'cache', mountPath: '/var/cache', emptyDir: { sizeLimit: '1Gi' } }],
    })).not.toThrow();
    expect(() => webApp({ image: 'nginx:1.27.0', port: 8080, security: { writablePaths: [], readOnlyRootFilesystem: false } })).not.toThrow();
  });

  test('Elasticsearch needs a writable root: refused under the defaults, accepted with readOnlyRootFilesystem: false', () => {
    const message = webAppError({ image: 'elasticsearch:8.17.0', port: 9200, resources: { limits: { memory: '2Gi' } } });
    expect(message).toMatch(invalid('test/App', 'image', 'elasticsearch:8.17.0'));
    expect(message).toContain('needs a writable root filesystem: Elasticsearch writes its keystore into /usr/share/elasticsearch/config');
    expect(message).toContain('set security.readOnlyRootFilesystem: false');
    const deployment = webApp({ image: 'elasticsearch:8.17.0', port: 9200, security: { readOnlyRootFilesystem: false }, resources: { limits: { memory: '2Gi' } } });
    expect(podSpec(deployment).securityContext).toMatchObject({ runAsUser: 1000, runAsGroup: 0, fsGroup: 0 });
  });

  test('a data path without a claim or volume gets an emptyDir; with a claim it is the claim', () => {
    expect(mountPaths(webApp({ image: 'postgres:16.4', port: 5432 }))).toEqual(['/tmp', '/var/run/postgresql', '/var/lib/postgresql/data']);
    const chart = newChart();
    new StatefulApp(chart, 'Db', {
      name: 'db', image: 'postgres:16.4-alpine', port: 5432,
      volumeClaims: [{ name: 'data', mountPath: '/var/lib/postgresql/data', storage: '1Gi' }],
    });
    const statefulSet = find(synth(chart), 'StatefulSet', 'db-statefulset');
    expect(podSpec(statefulSet).securityContext).toMatchObject({ runAsUser: 70, runAsGroup: 70, fsGroup: 70 });
    expect(mountPaths(statefulSet)).toEqual(['/var/lib/postgresql/data', '/tmp', '/var/run/postgresql']);
  });

  test('explicit props win over the table: runAsUser, and writable paths that cover the image\'s', () => {
    const deployment = webApp({ image: 'postgres:16.4', port: 5432, security: { runAsUser: 5000, writablePaths: ['/tmp', '/var/run/postgresql', '/var/lib/postgresql/data', '/var/log'] } });
    expect(podSpec(deployment).securityContext).toMatchObject({ runAsUser: 5000, runAsGroup: 999 });
    expect(mountPaths(deployment)).toEqual(['/tmp', '/var/run/postgresql', '/var/lib/postgresql/data', '/var/log']);
  });

  test('an image of another registry is not taken for the official one', () => {
    const deployment = webApp({ image: 'registry.example.com/nginx:1.27.0', port: 80 });
    expect(podSpec(deployment).securityContext).toMatchObject({ runAsUser: 10001 });
  });
});

describe('presets read the table', () => {
  test('RedisStatefulSet runs the alpine image as 999:1000 and the Debian one as 999:999', () => {
    const chart = newChart();
    new RedisStatefulSet(chart, 'A', { name: 'alpine' });
    new RedisStatefulSet(chart, 'D', { name: 'debian', image: 'redis:7.2.5' });
    const objects = synth(chart);
    expect(podSpec(find(objects, 'StatefulSet', 'alpine-statefulset')).securityContext).toMatchObject({ runAsUser: 999, runAsGroup: 1000, fsGroup: 1000 });
    expect(podSpec(find(objects, 'StatefulSet', 'debian-statefulset')).securityContext).toMatchObject({ runAsUser: 999, runAsGroup: 999, fsGroup: 999 });
  });

  test('RedisStatefulSet with a mirror the table does not know keeps the official image\'s user', () => {
    const chart = newChart();
    new RedisStatefulSet(chart, 'M', { name: 'mirror', image: 'mirror.example.com/redis:7.0.11-alpine' });
    expect(podSpec(find(synth(chart), 'StatefulSet', 'mirror-statefulset')).securityContext).toMatchObject({ runAsUser: 999, runAsGroup: 1000 });
  });

  test('MysqlStatefulSet on a mariadb UBI image makes its socket folder /run/mariadb writable, not the Ubuntu image\'s /run/mysqld', () => {
    const chart = newChart();
    new MysqlStatefulSet(chart, 'Db', { image: 'mariadb:11.4-ubi' });
    const statefulSet = find(synth(chart), 'StatefulSet', 'mariadb-statefulset');
    expect(mountPaths(statefulSet)).toContain('/run/mariadb');
    expect(mountPaths(statefulSet)).not.toContain('/run/mysqld');
    expect(podSpec(statefulSet).securityContext).toMatchObject({ runAsUser: 999, runAsGroup: 999, fsGroup: 999 });
  });

  test('MongoStatefulSet: uid 999, /tmp and /data/configdb writable, the claim at /data/db', () => {
    const chart = newChart();
    new MongoStatefulSet(chart, 'Mongo');
    const statefulSet = find(synth(chart), 'StatefulSet', 'mongodb-statefulset');
    expect(podSpec(statefulSet).securityContext).toMatchObject({ runAsUser: 999, runAsGroup: 999, fsGroup: 999 });
    expect(mountPaths(statefulSet)).toEqual(['/data/db', '/tmp', '/data/configdb', '/run/secrets/mongodb']);
  });
});

describe('memory flags above the memory limit', () => {
  test('a JVM heap in ES_JAVA_OPTS, Node old space in args and Redis maxmemory in the command are refused, each naming flag, value and limit', () => {
    const message = webAppError({
      image: 'app:1.0',
      command: ['sh', '-c', 'redis-server --maxmemory 1gb'],
      args: ['--max-old-space-size=512'],
      env: { ES_JAVA_OPTS: '-Xms512m -Xmx512m' },
    });
    expect(message).toContain('invalid command "--maxmemory 1gb": command: --maxmemory 1gb lets the process use 1Gi, above the container\'s memory limit 256Mi');
    expect(message).toContain('invalid args "--max-old-space-size=512": args: --max-old-space-size=512 lets the process use 512Mi, above the container\'s memory limit 256Mi');
    expect(message).toContain('invalid env["ES_JAVA_OPTS"] "-Xmx512m": env ES_JAVA_OPTS: -Xmx512m lets the process use 512Mi, above the container\'s memory limit 256Mi');
  });

  test('flags within the limit pass', () => {
    expect(() => webApp({ env: { JAVA_OPTS: '-Xmx384m' }, resources: { limits: { memory: '512Mi' } } })).not.toThrow();
  });
});

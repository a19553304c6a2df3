import { ConfigMap, EnvValue, ImagePullPolicy, Secret } from 'cdk8s-plus-27';
import { WebApp } from '../../lib';
import { DEFAULT_APP_UID, HttpGetProbeProps } from '../../lib/constructs/pod-template';
import { container, envOf, find, invalid, mountAt, newChart, podSpec, synth } from '../helpers';
import { build, deploymentOf } from './web-app-helpers';


describe('container basics', () => {
  test('image, pull policy (IfNotPresent by default), command and args', () => {
    expect(container(deploymentOf())).toMatchObject({ name: 'app', image: 'app:1.0', imagePullPolicy: 'IfNotPresent' });
    const c = container(deploymentOf({ imagePullPolicy: ImagePullPolicy.NEVER, command: ['python'], args: ['-m', 'worker'] }));
    expect(c.imagePullPolicy).toBe('Never');
    expect(c.command).toEqual(['python']);
    expect(c.args).toEqual(['-m', 'worker']);
  });
  test('the port is a named TCP container port', () => {
    expect(container(deploymentOf({ portName: 'web' })).ports).toEqual([{ name: 'web', containerPort: 8080, protocol: 'TCP' }]);
  });
});

describe('env', () => {
  test('literal values, Secret keys and ConfigMap keys', () => {
    const chart = newChart();
    const secret = Secret.fromSecretName(chart, 'S', 'db-secret');
    const config = ConfigMap.fromConfigMapName(chart, 'C', 'app-config');
    new WebApp(chart, 'App', {
      name: 'app',
      image: 'app:1.0',
      env: {
        APP_ENV: 'k8s',
        DB_PASSWORD: EnvValue.fromSecretValue({ secret, key: 'password' }),
        LOG_LEVEL: EnvValue.fromConfigMap(config, 'log-level'),
      },
    });
    const env = envOf(find(synth(chart), 'Deployment', 'app-deployment'));
    expect(env.APP_ENV).toEqual({ name: 'APP_ENV', value: 'k8s' });
    expect(env.DB_PASSWORD.value).toBeUndefined();
    expect(env.DB_PASSWORD.valueFrom).toEqual({ secretKeyRef: { name: 'db-secret', key: 'password' } });
    expect(env.LOG_LEVEL.valueFrom).toEqual({ configMapKeyRef: { name: 'app-config', key: 'log-level' } });
  });
  test('no env gives no env field', () => {
    expect(container(deploymentOf()).env).toBeUndefined();
  });
  test('a bad env name is refused', () => {
    expect(build({ env: { '1BAD': 'x' } })).toThrow(invalid('test/App', 'env key', '1BAD'));
  });
  test.each([8080, true, null, {}])('an env value %j, neither a string nor an EnvValue, is refused', (value) => {
    expect(build({ env: { PORT: value as unknown as string } })).toThrow(invalid('test/App', 'env["PORT"]', value));
  });
});

describe('command, args and pull policy', () => {
  test('an empty command is refused', () => {
    expect(build({ command: [] })).toThrow(invalid('test/App', 'command', []));
  });
  test('command and args must be strings', () => {
    expect(build({ args: ['--port', 8080 as unknown as string] })).toThrow(invalid('test/App', 'args[1]', 8080));
    expect(build({ command: [null as unknown as string] })).toThrow(invalid('test/App', 'command[0]', null));
    expect(container(deploymentOf({ args: [] })).args).toEqual([]);
  });
  test('an imagePullPolicy other than Always, IfNotPresent or Never is refused', () => {
    expect(build({ imagePullPolicy: 'Sometimes' as ImagePullPolicy })).toThrow(invalid('test/App', 'imagePullPolicy', 'Sometimes'));
    expect(container(deploymentOf({ imagePullPolicy: ImagePullPolicy.ALWAYS })).imagePullPolicy).toBe('Always');
  });
});

describe('resources', () => {
  test('defaults: 100m CPU and 128Mi requested, 256Mi memory limit, no CPU limit', () => {
    expect(container(deploymentOf()).resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } });
  });
  test('overrides are merged over the defaults field by field', () => {
    const resources = container(deploymentOf({ resources: { requests: { memory: '192Mi' }, limits: { cpu: '1' } } })).resources;
    expect(resources).toEqual({ requests: { cpu: '100m', memory: '192Mi' }, limits: { cpu: '1', memory: '256Mi' } });
  });
  test.each([
    ['requests', 'cpu', 'lots'],
    ['requests', 'memory', '1GB'],
    ['limits', 'memory', '-1Gi'],
  ] as const)('a bad quantity in %s.%s (%j) is refused', (kind, resource, quantity) => {
    expect(build({ resources: { [kind]: { [resource]: quantity } } })).toThrow(invalid('test/App', `resources.${kind}.${resource}`, quantity));
  });
  test('requests above limits are refused, compared as quantities', () => {
    expect(build({ resources: { requests: { memory: '300Mi' } } })).toThrow(invalid('test/App', 'resources.requests.memory', '300Mi'));
    expect(build({ resources: { requests: { cpu: '1.5' }, limits: { cpu: '1' } } })).toThrow(invalid('test/App', 'resources.requests.cpu', '1.5'));
    expect(build({ resources: { requests: { cpu: '900m' }, limits: { cpu: '1' } } })).not.toThrow();
    expect(build({ resources: { requests: { memory: '256Mi' } } })).not.toThrow();
  });
});

describe('probes', () => {
  test('httpGet with path, port and headers, and every timing', () => {
    const c = container(deploymentOf({
      liveness: {
        httpGet: { path: '/healthz', port: 8080, headers: { 'X-Request-Reason': 'liveness-probe' } },
        initialDelaySeconds: 5, periodSeconds: 3, failureThreshold: 2, timeoutSeconds: 2, successThreshold: 1,
      },
    }));
    expect(c.livenessProbe).toEqual({
      httpGet: { path: '/healthz', port: 'http', httpHeaders: [{ name: 'X-Request-Reason', value: 'liveness-probe' }] },
      initialDelaySeconds: 5, periodSeconds: 3, failureThreshold: 2, timeoutSeconds: 2, successThreshold: 1,
    });
  });
  test('httpGet without headers has no httpHeaders; the port defaults to the first container port', () => {
    const c = container(deploymentOf({ readiness: { httpGet: { path: '/ready', scheme: 'HTTPS' } } }));
    expect(c.readinessProbe).toEqual({ httpGet: { path: '/ready', port: 'http', scheme: 'HTTPS' } });
  });
  test('tcpSocket by port name, and exec', () => {
    const c = container(deploymentOf({
      portName: 'web',
      readiness: { tcpSocket: { port: 'web' }, periodSeconds: 5 },
      startup: { exec: { command: ['cat', '/tmp/ready'] }, failureThreshold: 30 },
    }));
    expect(c.readinessProbe).toEqual({ tcpSocket: { port: 'web' }, periodSeconds: 5 });
    expect(c.startupProbe).toEqual({ exec: { command: ['cat', '/tmp/ready'] }, failureThreshold: 30 });
    expect(c.livenessProbe).toBeUndefined();
  });
  test('an exec probe needs no port', () => {
    const c = container(deploymentOf({ port: undefined, liveness: { exec: { command: ['true'] } } }));
    expect(c.livenessProbe).toEqual({ exec: { command: ['true'] } });
  });
  test('a probe with no handler, or with two, is refused', () => {
    expect(build({ liveness: {} })).toThrow(invalid('test/App', 'liveness', []));
    expect(build({ readiness: { tcpSocket: {}, exec: { command: ['true'] } } })).toThrow(invalid('test/App', 'readiness', ['tcpSocket', 'exec']));
  });
  test('successThreshold must be 1 for liveness and startup, not for readiness', () => {
    expect(build({ liveness: { tcpSocket: {}, successThreshold: 2 } })).toThrow(invalid('test/App', 'liveness.successThreshold', 2));
    expect(build({ startup: { tcpSocket: {}, successThreshold: 3 } })).toThrow(invalid('test/App', 'startup.successThreshold', 3));
    expect(container(deploymentOf({ readiness: { tcpSocket: {}, successThreshold: 2 } })).readinessProbe.successThreshold).toBe(2);
  });
  test.each([
    ['initialDelaySeconds', -1], ['periodSeconds', 0], ['timeoutSeconds', 0], ['failureThreshold', 0], ['successThreshold', 0], ['periodSeconds', 1.5],
  ] as const)('timing %s = %p is refused', (timing, value) => {
    expect(build({ readiness: { tcpSocket: {}, [timing]: value } })).toThrow(invalid('test/App', `readiness.${timing}`, value));
  });
  test('a probe port the container does not declare is refused, by number and by name', () => {
    expect(build({ liveness: { tcpSocket: { port: 9090 } } })).toThrow(invalid('test/App', 'liveness port', 9090));
    expect(build({ liveness: { httpGet: { path: '/', port: 'metrics' } } })).toThrow(invalid('test/App', 'liveness port', 'metrics'));
    expect(build({ liveness: { tcpSocket: { port: 70000 } } })).toThrow(/test\/App: invalid liveness port 70000: must be an integer port from 1 to 65535/);
  });
  test('a port-based probe on a container without ports is refused', () => {
    expect(build({ port: undefined, readiness: { tcpSocket: {} } })).toThrow(invalid('test/App', 'readiness port', undefined));
  });
  test('an httpGet path must start with "/" and an exec command must not be empty', () => {
    expect(build({ liveness: { httpGet: { path: 'healthz' } } })).toThrow(invalid('test/App', 'liveness.httpGet.path', 'healthz'));
    expect(build({ liveness: { exec: { command: [] } } })).toThrow(invalid('test/App', 'liveness.exec.command', []));
  });
  test('an httpGet without a path is refused, not a TypeError', () => {
    const noPath = { port: 8080 } as HttpGetProbeProps;
    expect(build({ readiness: { httpGet: noPath } })).toThrow(invalid('test/App', 'readiness.httpGet.path', undefined));
  });
  test('the scheme must be HTTP or HTTPS', () => {
    const scheme = 'FTP' as 'HTTP';
    expect(build({ liveness: { httpGet: { path: '/', scheme } } })).toThrow(invalid('test/App', 'liveness.httpGet.scheme', 'FTP'));
    expect(container(deploymentOf({ liveness: { httpGet: { path: '/', scheme: 'HTTPS' } } })).livenessProbe.httpGet.scheme).toBe('HTTPS');
  });
  test.each(['X Reason', 'X-Reason:', 'Ünicode', ''])('a header name %j that is not an RFC 7230 token is refused', (name) => {
    expect(build({ liveness: { httpGet: { path: '/', headers: { [name]: 'x' } } } })).toThrow(invalid('test/App', 'liveness.httpGet.headers key', name));
  });
  test('header values must be strings on one line', () => {
    const headers = { 'X-Count': 3 as unknown as string };
    expect(build({ liveness: { httpGet: { path: '/', headers } } })).toThrow(invalid('test/App', 'liveness.httpGet.headers["X-Count"]', 3));
    expect(build({ liveness: { httpGet: { path: '/', headers: { 'X-A': 'a\r\nX-B: b' } } } }))
      .toThrow(invalid('test/App', 'liveness.httpGet.headers["X-A"]', 'a\r\nX-B: b'));
    expect(() => deploymentOf({ liveness: { httpGet: { path: '/', headers: { "X-Probe_Reason.v1!#$%&'*+^`|~": 'any value: with spaces' } } } })).not.toThrow();
  });
});

describe('mounts', () => {
  test('Secrets and ConfigMaps are mounted read-only, from volumes named after them', () => {
    const d = deploymentOf({
      secretMounts: [{ secretName: 'db-secret', mountPath: '/run/secrets/db' }],
      configMapMounts: [{ configMapName: 'app-config', mountPath: '/etc/app', optional: true }],
    });
    const secret = mountAt(d, '/run/secrets/db');
    expect(secret.mount).toEqual({ name: 'db-secret-volume', mountPath: '/run/secrets/db', readOnly: true });
    expect(secret.volume).toEqual({ name: 'db-secret-volume', secret: { secretName: 'db-secret', optional: false } });
    const config = mountAt(d, '/etc/app');
    expect(config.mount.readOnly).toBe(true);
    expect(config.volume).toEqual({ name: 'app-config-volume', configMap: { name: 'app-config', optional: true } });
  });
  test('bad Secret and ConfigMap names and mount paths are refused', () => {
    expect(build({ secretMounts: [{ secretName: 'Db', mountPath: '/s' }] })).toThrow(invalid('test/App', 'secretMounts[].secretName', 'Db'));
    expect(build({ secretMounts: [{ secretName: 'db', mountPath: 's' }] })).toThrow(invalid('test/App', 'secretMounts[].mountPath', 's'));
    expect(build({ configMapMounts: [{ configMapName: 'c_1', mountPath: '/c' }] })).toThrow(invalid('test/App', 'configMapMounts[].configMapName', 'c_1'));
    expect(build({ configMapMounts: [{ configMapName: 'c', mountPath: '/c/../d' }] })).toThrow(invalid('test/App', 'configMapMounts[].mountPath', '/c/../d'));
  });
  test('a 63-character Secret name is refused because its volume name would be too long', () => {
    const name = 's'.repeat(60);
    expect(build({ secretMounts: [{ secretName: name, mountPath: '/s' }] }))
      .toThrow(invalid('test/App', 'secretMounts[].secretName (as a volume name with "-volume")', `${name}-volume`));
  });
  test('the same path mounted twice is refused', () => {
    expect(build({ secretMounts: [{ secretName: 'a', mountPath: '/tmp' }] })).toThrow(invalid('test/App', 'mount path', '/tmp'));
    expect(build({
      secretMounts: [{ secretName: 'a', mountPath: '/run/x' }],
      configMapMounts: [{ configMapName: 'b', mountPath: '/run/x' }],
    })).toThrow(invalid('test/App', 'mount path', '/run/x'));
  });
  test('the same Secret or ConfigMap mounted twice is refused: the volume names would clash', () => {
    expect(build({
      secretMounts: [{ secretName: 'db', mountPath: '/run/a' }, { secretName: 'db', mountPath: '/run/b' }],
    })).toThrow(invalid('test/App', 'volume name', 'db-volume'));
    expect(build({
      configMapMounts: [{ configMapName: 'c', mountPath: '/etc/a' }, { configMapName: 'c', mountPath: '/etc/b' }],
    })).toThrow(invalid('test/App', 'volume name', 'c-volume'));
  });
  test('writable paths that map to the same volume name are refused', () => {
    expect(build({ security: { writablePaths: ['/var/tmp', '/var-tmp'] } })).toThrow(invalid('test/App', 'volume name', 'var-tmp'));
  });
});

describe('security defaults (restricted)', () => {
  const d = deploymentOf();
  test('the pod runs as a fixed non-root uid/gid with RuntimeDefault seccomp', () => {
    expect(podSpec(d).securityContext).toEqual({
      runAsNonRoot: true, runAsUser: DEFAULT_APP_UID, runAsGroup: DEFAULT_APP_UID, fsGroup: DEFAULT_APP_UID,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(DEFAULT_APP_UID).toBe(10001);
  });
  test('the container cannot escalate, drops every capability and has a read-only root', () => {
    expect(container(d).securityContext).toEqual({
      allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] },
    });
  });
  test('/tmp is a writable emptyDir and the service account token is not mounted', () => {
    expect(mountAt(d, '/tmp')).toEqual({ mount: { name: 'tmp', mountPath: '/tmp' }, volume: { name: 'tmp', emptyDir: {} } });
    expect(podSpec(d).automountServiceAccountToken).toBe(false);
  });
});

describe('ports below 1024: the pod sysctl net.ipv4.ip_unprivileged_port_start', () => {
  const sysctls = (workload: Record<string, any>) => podSpec(workload).securityContext.sysctls;
  test('a port below 1024 lowers it to that port, so the non-root process binds it with every capability dropped', () => {
    const d = deploymentOf({ port: 80 });
    expect(sysctls(d)).toEqual([{ name: 'net.ipv4.ip_unprivileged_port_start', value: '80' }]);
    expect(podSpec(d).securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: DEFAULT_APP_UID });
    expect(container(d).securityContext.capabilities).toEqual({ drop: ['ALL'] });
    expect(podSpec(d).hostNetwork).toBeUndefined();
  });
  test('several low ports: the lowest of them, extra ports included', () => {
    expect(sysctls(deploymentOf({ port: 8443, portName: 'alt', extraPorts: [{ name: 'https', port: 443 }, { name: 'http', port: 80 }] })))
      .toEqual([{ name: 'net.ipv4.ip_unprivileged_port_start', value: '80' }]);
    expect(sysctls(deploymentOf({ port: 1023 }))).toEqual([{ name: 'net.ipv4.ip_unprivileged_port_start', value: '1023' }]);
  });
  test('only then: ports from 1024 up, and a worker without ports, leave the sysctl out', () => {
    expect(sysctls(deploymentOf({ port: 1024 }))).toBeUndefined();
    expect(sysctls(deploymentOf({ port: 8080, extraPorts: [{ name: 'metrics', port: 9090 }] }))).toBeUndefined();
    const chart = newChart();
    new WebApp(chart, 'Worker', { name: 'worker', image: 'worker:1.0' });
    expect(sysctls(find(synth(chart), 'Deployment', 'worker-deployment'))).toBeUndefined();
  });
});

describe('security overrides', () => {
  test('runAsUser sets the group and fsGroup too unless they are given', () => {
    expect(podSpec(deploymentOf({ security: { runAsUser: 2000 } })).securityContext)
      .toMatchObject({ runAsNonRoot: true, runAsUser: 2000, runAsGroup: 2000, fsGroup: 2000 });
    expect(podSpec(deploymentOf({ security: { runAsUser: 2000, runAsGroup: 3000, fsGroup: 4000 } })).securityContext)
      .toMatchObject({ runAsUser: 2000, runAsGroup: 3000, fsGroup: 4000 });
  });
  test('allowRunAsRoot with runAsUser 0 turns runAsNonRoot off', () => {
    expect(podSpec(deploymentOf({ security: { allowRunAsRoot: true, runAsUser: 0 } })).securityContext)
      .toMatchObject({ runAsNonRoot: false, runAsUser: 0 });
  });
  test('runAsUser 0 without allowRunAsRoot is refused', () => {
    expect(build({ security: { runAsUser: 0 } })).toThrow(invalid('test/App', 'security.runAsUser', 0));
  });
  test.each([['runAsUser', -1], ['runAsGroup', 1.5], ['fsGroup', 2147483648]] as const)('%s %p is refused', (field, value) => {
    expect(build({ security: { [field]: value } })).toThrow(invalid('test/App', `security.${field}`, value));
  });
  test('readOnlyRootFilesystem false', () => {
    expect(container(deploymentOf({ security: { readOnlyRootFilesystem: false } })).securityContext.readOnlyRootFilesystem).toBe(false);
  });
  test('writablePaths replace /tmp, each with its own emptyDir', () => {
    const d = deploymentOf({ security: { writablePaths: ['/var/cache/nginx', '/run'] } });
    expect(container(d).volumeMounts).toEqual([
      { name: 'var-cache-nginx', mountPath: '/var/cache/nginx' },
      { name: 'run', mountPath: '/run' },
    ]);
    expect(podSpec(d).volumes).toEqual([{ name: 'var-cache-nginx', emptyDir: {} }, { name: 'run', emptyDir: {} }]);
    const none = deploymentOf({ security: { writablePaths: [] } });
    expect(container(none).volumeMounts).toBeUndefined();
    expect(podSpec(none).volumes).toBeUndefined();
  });
  test('a relative writable path is refused', () => {
    expect(build({ security: { writablePaths: ['tmp'] } })).toThrow(invalid('test/App', 'security.writablePaths[]', 'tmp'));
  });
  test('automountServiceAccountToken can be turned on', () => {
    expect(podSpec(deploymentOf({ security: { automountServiceAccountToken: true } })).automountServiceAccountToken).toBe(true);
  });
});

describe('image', () => {
  test('an empty image or one with whitespace is refused', () => {
    expect(build({ image: '' })).toThrow(invalid('test/App', 'image', ''));
    expect(build({ image: 'app :1.0' })).toThrow(invalid('test/App', 'image', 'app :1.0'));
  });
});

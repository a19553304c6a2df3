import { HpaPolicy, StatefulApp, StatefulAppProps } from '../../lib';
import { container, find, invalid, invalidAtSynth, mountAt, newChart, podSpec, synth, testChartLabels } from '../helpers';

function make(props: Partial<StatefulAppProps> = {}, chart = newChart()) {
  const app = new StatefulApp(chart, 'Db', { name: 'db', image: 'db:1.0', port: 5432, ...props });
  return { chart, app, objects: synth(chart) };
}

function build(props: Partial<StatefulAppProps>) {
  return () => make(props);
}

const data = { name: 'data', mountPath: '/var/lib/db', storage: '1Gi' };

describe('StatefulApp', () => {
  test('extraPorts are on the container and the headless Service', () => {
    const { objects } = make({ extraPorts: [{ name: 'admin', port: 8081 }] });
    expect(find(objects, 'Service', 'db-service').spec.ports).toEqual([
      { name: 'tcp', port: 5432, targetPort: 'tcp', protocol: 'TCP' },
      { name: 'admin', port: 8081, targetPort: 'admin', protocol: 'TCP' },
    ]);
    expect(container(find(objects, 'StatefulSet', 'db-statefulset')).ports).toEqual([
      { name: 'tcp', containerPort: 5432, protocol: 'TCP' }, { name: 'admin', containerPort: 8081, protocol: 'TCP' },
    ]);
    expect(build({ extraPorts: [{ name: 'tcp', port: 1 }] })).toThrow(invalid('test/Db', 'extraPorts[0]', { name: 'tcp', port: 1 }));
  });
  test('nodePorts: a NodePort Service of the published ports beside the headless one, and the policy admits every address on them', () => {
    const { objects, app } = make({ serviceName: 'db', extraPorts: [{ name: 'admin', port: 8081 }, { name: 'metrics', port: 9187 }], nodePorts: [8081, 5432] });
    const published = find(objects, 'Service', 'db-nodeport');
    expect(app.nodePortService?.name).toBe('db-nodeport');
    expect(published.spec).toEqual({
      type: 'NodePort',
      selector: { 'app.kubernetes.io/name': 'db' },
      ports: [{ name: 'admin', port: 8081, targetPort: 'admin', protocol: 'TCP' }, { name: 'tcp', port: 5432, targetPort: 'tcp', protocol: 'TCP' }],
    });
    expect(published.metadata.labels).toEqual(find(objects, 'Service', 'db').metadata.labels);
    expect(find(objects, 'Service', 'db').spec.clusterIP).toBe('None');
    expect(find(objects, 'NetworkPolicy', 'db-network-policy').spec.ingress).toEqual([
      { from: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 8081, protocol: 'TCP' }, { port: 5432, protocol: 'TCP' }] },
    ]);
  });
  test('without nodePorts there is no NodePort Service and the policy admits nothing', () => {
    const { objects, app } = make();
    expect(objects.filter((o) => o.kind === 'Service').map((o) => o.metadata.name)).toEqual(['db-service']);
    expect(app.nodePortService).toBeUndefined();
  });
  test('nodePorts must be distinct ports the pods declare, and at least one; every problem at once', () => {
    const error = (() => {
      try {
        make({ nodePorts: [5432, 8080, 5432] });
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    })();
    expect(error).toMatch(invalid('test/Db', 'nodePorts[1]', 8080));
    expect(error).toContain('must be a port the pods declare (tcp=5432)');
    expect(error).toContain('\ntest/Db: invalid nodePorts[2] 5432: is listed twice');
    expect(build({ nodePorts: [] })).toThrow(invalid('test/Db', 'nodePorts', []));
    expect(build({ serviceName: `s${'x'.repeat(54)}`, nodePorts: [5432] })).toThrow(/nodePorts Service name/);
  });
  test('a StatefulSet governed by a headless Service', () => {
    const { objects } = make({ replicas: 3 });
    const service = find(objects, 'Service', 'db-service');
    expect(service.spec.clusterIP).toBe('None');
    expect(service.spec.type).toBeUndefined();
    expect(service.spec.selector).toEqual({ 'app.kubernetes.io/name': 'db' });
    expect(service.spec.ports).toEqual([{ name: 'tcp', port: 5432, targetPort: 'tcp', protocol: 'TCP' }]);
    const set = find(objects, 'StatefulSet', 'db-statefulset');
    expect(set.spec.serviceName).toBe('db-service');
    expect(set.spec.replicas).toBe(3);
    expect(set.spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'db' } });
    expect(set.spec.volumeClaimTemplates).toBeUndefined();
    expect(container(set).ports).toEqual([{ name: 'tcp', containerPort: 5432, protocol: 'TCP' }]);
    expect(find(objects, 'NetworkPolicy', 'db-network-policy').spec.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'db' } });
  });

  test('volumeClaimTemplates are mounted in the container', () => {
    const set = find(make({ volumeClaims: [{ ...data, storageClassName: 'fast-ssd', accessModes: ['ReadWriteOncePod'] }] }).objects, 'StatefulSet', 'db-statefulset');
    expect(set.spec.volumeClaimTemplates).toEqual([{
      // The labels but the version: a StatefulSet's volumeClaimTemplates cannot change, its image can.
      metadata: { name: 'data' },
      spec: { accessModes: ['ReadWriteOncePod'], storageClassName: 'fast-ssd', resources: { requests: { storage: '1Gi' } } },
    }]);
    expect(mountAt(set, '/var/lib/db').mount).toEqual({ name: 'data', mountPath: '/var/lib/db' });
    expect(mountAt(set, '/var/lib/db').volume).toBeUndefined();
    const plain = find(make({ volumeClaims: [data] }).objects, 'StatefulSet', 'db-statefulset');
    expect(plain.spec.volumeClaimTemplates[0].spec.accessModes).toEqual(['ReadWriteOnce']);
  });

  test('the same security defaults as a WebApp', () => {
    const set = find(make().objects, 'StatefulSet', 'db-statefulset');
    expect(podSpec(set).securityContext).toEqual({
      runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container(set).securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(mountAt(set, '/tmp').volume).toEqual({ name: 'tmp', emptyDir: {} });
  });

  test('podDnsName and podAddress follow <statefulset>-<n>.<service>.<namespace>.svc.<domain>', () => {
    const { app } = make({ replicas: 2 }, newChart('data'));
    expect(app.podDnsName()).toBe('db-statefulset-0.db-service.data.svc.cluster.local');
    expect(app.podDnsName(1)).toBe('db-statefulset-1.db-service.data.svc.cluster.local');
    expect(app.podAddress(1)).toBe('db-statefulset-1.db-service.data.svc.cluster.local:5432');
    expect(make({ clusterDomain: 'corp.local' }).app.podAddress()).toBe('db-statefulset-0.db-service.default.svc.corp.local:5432');
  });

  test('podDnsName refuses an ordinal the StatefulSet does not have', () => {
    const { app } = make({ replicas: 2 });
    expect(() => app.podDnsName(2)).toThrow(invalid('test/Db', 'podDnsName ordinal', 2));
    expect(() => app.podDnsName(-1)).toThrow(invalid('test/Db', 'podDnsName ordinal', -1));
  });

  test('labels, annotations, podAnnotations', () => {
    const set = find(make({ labels: { tier: 'data' }, annotations: { 'a.io/x': 'y' }, podAnnotations: { 'b.io/z': 'w' } }).objects, 'StatefulSet', 'db-statefulset');
    const labels = testChartLabels('db', { tier: 'data', 'app.kubernetes.io/version': '1.0' });
    expect(set.metadata.labels).toEqual(labels);
    expect(set.metadata.annotations).toEqual({ 'a.io/x': 'y' });
    expect(set.spec.template.metadata).toEqual({ labels, annotations: { 'b.io/z': 'w' } });
  });

  test('a disruption budget needs 2 replicas', () => {
    const pdb = find(make({ replicas: 3, disruptionBudget: { maxUnavailable: '34%' } }).objects, 'PodDisruptionBudget', 'db-pdb');
    expect(pdb.spec).toEqual({
      maxUnavailable: '34%', selector: { matchLabels: { 'app.kubernetes.io/name': 'db' } }, unhealthyPodEvictionPolicy: 'AlwaysAllow',
    });
    expect(build({ disruptionBudget: {} })).toThrow(invalidAtSynth('test/Db/DisruptionBudget', 'replicas', 1));
  });

  test('a disruption budget on one replica is kept when an HpaPolicy takes the replicas over', () => {
    const chart = newChart();
    const db = new StatefulApp(chart, 'Db', { name: 'db', image: 'db:1.0', port: 5432, disruptionBudget: {} });
    new HpaPolicy(chart, 'Hpa', { target: db, minReplicas: 2, maxReplicas: 3, cpuUtilization: 70 });
    expect(find(synth(chart), 'PodDisruptionBudget', 'db-pdb').spec.maxUnavailable).toBe(1);
  });

  test('labels may not set the selector label to another name', () => {
    expect(build({ labels: { 'app.kubernetes.io/name': 'other' } })).toThrow(invalid('test/Db', 'labels["app.kubernetes.io/name"]', 'other'));
    expect(find(make({ labels: { 'app.kubernetes.io/name': 'db' } }).objects, 'StatefulSet', 'db-statefulset').metadata.labels)
      .toEqual(testChartLabels('db', { 'app.kubernetes.io/version': '1.0' }));
  });

  test('networkPolicy: false', () => {
    expect(make({ networkPolicy: false }).objects.map((o) => o.kind)).toEqual(['Service', 'StatefulSet']);
  });

  test('serviceName names the headless Service exactly (a compose host name); pod DNS names follow it', () => {
    const { objects, app } = make({ serviceName: 'postgres' });
    expect(find(objects, 'Service', 'postgres').spec.clusterIP).toBe('None');
    expect(find(objects, 'StatefulSet', 'db-statefulset').spec.serviceName).toBe('postgres');
    expect(app.podDnsName(0)).toBe('db-statefulset-0.postgres.default.svc.cluster.local');
    expect(build({ serviceName: 'my_db' })).toThrow(invalid('test/Db', 'serviceName', 'my_db'));
  });

  describe('validation', () => {
    test('names', () => {
      expect(build({ name: 'Db' })).toThrow(invalid('test/Db', 'name', 'Db'));
      expect(build({ portName: 'pg_sql' })).toThrow(invalid('test/Db', 'portName', 'pg_sql'));
    });
    test('names over 40 characters are refused: the pods\' controller-revision-hash label would not fit', () => {
      const longest = 'd'.repeat(40);
      expect(find(make({ name: longest }).objects, 'StatefulSet', `${longest}-statefulset`).metadata.name).toHaveLength(52);
      expect(build({ name: `${longest}d` })).toThrow(invalid('test/Db', 'name', `${longest}d`));
      expect(build({ name: 'd'.repeat(55) })).toThrow(/must be at most 40 characters: the StatefulSet controller labels each pod/);
    });
    test('port and replicas', () => {
      expect(build({ port: 0 })).toThrow(invalid('test/Db', 'port', 0));
      expect(build({ port: 65536 })).toThrow(invalid('test/Db', 'port', 65536));
      expect(build({ replicas: -2 })).toThrow(invalid('test/Db', 'replicas', -2));
    });
    test('clusterDomain, labels and annotations', () => {
      expect(build({ clusterDomain: 'Cluster.Local' })).toThrow(invalid('test/Db', 'clusterDomain', 'Cluster.Local'));
      expect(build({ labels: { '-x': 'y' } })).toThrow(invalid('test/Db', 'labels key', '-x'));
      expect(build({ annotations: { 'x/y/z': 'y' } })).toThrow(invalid('test/Db', 'annotations key', 'x/y/z'));
      expect(build({ podAnnotations: { 'x/y/z': 'y' } })).toThrow(invalid('test/Db', 'podAnnotations key', 'x/y/z'));
    });
    test('volume claims', () => {
      expect(build({ volumeClaims: [{ ...data, name: 'Data' }] })).toThrow(invalid('test/Db', 'volumeClaims[].name', 'Data'));
      expect(build({ volumeClaims: [{ ...data, mountPath: 'data' }] })).toThrow(invalid('test/Db', 'volumeClaims[].mountPath', 'data'));
      expect(build({ volumeClaims: [{ ...data, storage: '1 GB' }] })).toThrow(invalid('test/Db', 'volumeClaims[].storage', '1 GB'));
      expect(build({ volumeClaims: [{ ...data, storage: '-1Gi' }] })).toThrow(invalid('test/Db', 'volumeClaims[].storage', '-1Gi'));
      expect(build({ volumeClaims: [{ ...data, storage: '0' }] })).toThrow(invalid('test/Db', 'volumeClaims[].storage', '0'));
      expect(build({ volumeClaims: [{ ...data, storageClassName: 'Fast' }] })).toThrow(invalid('test/Db', 'volumeClaims[].storageClassName', 'Fast'));
      expect(build({ volumeClaims: [{ ...data, accessModes: ['ReadWriteSometimes'] }] })).toThrow(invalid('test/Db', 'volumeClaims[].accessModes[]', 'ReadWriteSometimes'));
    });
    test('a claim named like a writable path\'s volume is refused', () => {
      expect(build({ volumeClaims: [{ ...data, name: 'cache' }], security: { writablePaths: ['/cache'] } }))
        .toThrow(invalid('test/Db', 'volume name', 'cache'));
    });
    test('a claim mounted over a writable path is refused', () => {
      expect(build({ volumeClaims: [{ ...data, mountPath: '/tmp' }] })).toThrow(invalid('test/Db', 'mount path', '/tmp'));
    });
  });

  describe('a bad prop creates no objects', () => {
    test.each<[string, Partial<StatefulAppProps>]>([
      ['bad name', { name: 'Db' }],
      ['bad claim', { volumeClaims: [{ ...data, storage: 'big' }] }],
      ['bad container prop', { liveness: {} }],
      ['runAsUser 0', { security: { runAsUser: 0 } }],
      ['selector label overridden', { labels: { 'app.kubernetes.io/name': 'other' } }],
    ])('%s', (_, props) => {
      const chart = newChart();
      expect(() => new StatefulApp(chart, 'Db', { name: 'db', image: 'db:1.0', port: 5432, ...props })).toThrow(/^test\/Db/);
      expect(synth(chart)).toEqual([]);
    });
  });
});

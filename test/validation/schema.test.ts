import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkSchema, DEFAULT_SCHEMA_VERSION, resourceScope, SCHEMA_VERSIONS } from '../../lib/validation/schema';
import { loadSchema } from '../../lib/manifest/api/load';
import type { KubeObject, SourcedObject } from '../../lib/manifest/types';

const labels = { app: 'web' };

const deployment: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', labels: { ...labels, 'app.kubernetes.io/name': 'web' } },
  spec: {
    replicas: 2,
    selector: { matchLabels: labels },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: '25%' } },
    template: {
      metadata: { labels },
      spec: {
        containers: [
          {
            name: 'web',
            image: 'nginx:1.27',
            imagePullPolicy: 'IfNotPresent',
            ports: [{ name: 'http', containerPort: 8080 }],
            env: [{ name: 'MODE', value: 'production' }],
            resources: { requests: { cpu: '250m', memory: '128Mi' }, limits: { cpu: 1, memory: '256Mi' } },
            readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 5 },
            livenessProbe: { tcpSocket: { port: 8080 } },
          },
        ],
        volumes: [{ name: 'cache', emptyDir: { sizeLimit: '1Gi' } }],
      },
    },
  },
};

const service: KubeObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'shop' },
  spec: { selector: labels, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] },
};

const ingress: KubeObject = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'web', namespace: 'shop', annotations: { 'nginx.ingress.kubernetes.io/rewrite-target': '/' } },
  spec: {
    ingressClassName: 'nginx',
    tls: [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }],
    rules: [
      {
        host: 'shop.example.com',
        http: {
          paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }],
        },
      },
    ],
  },
};

const statefulSet: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'db', namespace: 'shop' },
  spec: {
    serviceName: 'db',
    replicas: 1,
    selector: { matchLabels: { app: 'db' } },
    template: {
      metadata: { labels: { app: 'db' } },
      spec: {
        containers: [{ name: 'postgres', image: 'postgres:16', volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
      },
    },
    volumeClaimTemplates: [
      {
        metadata: { name: 'data' },
        spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'ssd', resources: { requests: { storage: '10Gi' } } },
      },
    ],
  },
};

const hpa: KubeObject = {
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'web', namespace: 'shop' },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    minReplicas: 2,
    maxReplicas: 10,
    metrics: [
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
      { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '200Mi' } } },
    ],
  },
};

const pdb: KubeObject = {
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata: { name: 'web', namespace: 'shop' },
  spec: { minAvailable: 1, selector: { matchLabels: labels } },
};

const networkPolicy: KubeObject = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'web', namespace: 'shop' },
  spec: {
    podSelector: { matchLabels: labels },
    policyTypes: ['Ingress'],
    ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'edge' } } }], ports: [{ port: 8080, protocol: 'TCP' }] }],
  },
};

const namespace: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } };

function sourced(...objects: KubeObject[]): SourcedObject[] {
  return objects.map((object, order) => ({ object, source: 'app.k8s.yaml', order }));
}

/** `base` with `value` set at the dotted `fieldPath` (`[n]` for list items); `undefined` deletes. */
function withField(base: KubeObject, fieldPath: string, value: unknown): KubeObject {
  const copy = structuredClone(base) as Record<string, unknown>;
  const keys = fieldPath.replace(/\[(\d+)\]/g, '.$1').split('.');
  const parent = keys.slice(0, -1).reduce((node, key) => (node as Record<string, unknown>)[key], copy as unknown);
  const last = keys[keys.length - 1];
  if (value === undefined) delete (parent as Record<string, unknown>)[last];
  else (parent as Record<string, unknown>)[last] = value;
  return copy as unknown as KubeObject;
}

const containerPath = 'spec.template.spec.containers[0]';

describe('checkSchema', () => {
  it.each(SCHEMA_VERSIONS)('accepts valid objects of common kinds on Kubernetes %s', (version) => {
    const objects = sourced(deployment, service, ingress, statefulSet, hpa, pdb, networkPolicy, namespace);
    expect(checkSchema(objects, version)).toEqual([]);
  });

  it('uses Kubernetes 1.27 by default', () => {
    expect(DEFAULT_SCHEMA_VERSION).toBe('1.27');
    expect(SCHEMA_VERSIONS).toEqual(['1.27', '1.33']);
  });

  it('rejects an unknown field nested in a container, with its path and a suggestion', () => {
    const typo = withField(deployment, `${containerPath}.imagePullPolicyy`, 'Always');
    expect(checkSchema(sourced(typo))).toEqual([
      {
        rule: 'schema-unknown-field',
        severity: 'error',
        source: 'app.k8s.yaml',
        object: 'Deployment shop/web',
        path: 'spec.template.spec.containers[0].imagePullPolicyy',
        message:
          'unknown field "imagePullPolicyy" in V1Container (Kubernetes 1.27); did you mean "imagePullPolicy"?',
        apiServer: 'rejects',
      },
    ]);
  });

  it('lists the allowed fields when no field name is close', () => {
    const [finding] = checkSchema(sourced(withField(service, 'spec.ports[0].frobnicate', true)));
    expect(finding.path).toBe('spec.ports[0].frobnicate');
    expect(finding.message).toContain('V1ServicePort has: appProtocol, name, nodePort, port, protocol, targetPort');
  });

  it('rejects a value of the wrong type', () => {
    const findings = checkSchema(sourced(withField(deployment, 'spec.replicas', 'two')));
    expect(findings).toMatchObject([
      {
        rule: 'schema-type',
        path: 'spec.replicas',
        message: 'V1DeploymentSpec.replicas must be an integer, not the string "two" (Kubernetes 1.27)',
      },
    ]);
  });

  it('rejects a number where Kubernetes wants a string, such as a label value', () => {
    const findings = checkSchema(sourced(withField(deployment, 'metadata.labels.version', 2)));
    expect(findings).toMatchObject([{ rule: 'schema-type', path: 'metadata.labels.version' }]);
  });

  it.each(SCHEMA_VERSIONS)('rejects a fractional int32 on %s (the 1.27 client lost the format; the generator restores it)', (version) => {
    const halfReplica = sourced(withField(deployment, 'spec.replicas', 1.5));
    expect(checkSchema(halfReplica, version)).toMatchObject([{ rule: 'schema-type', path: 'spec.replicas' }]);
  });

  it('checks MicroTime fields as RFC 3339 timestamps', () => {
    const event = { apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name: 'e' }, eventTime: '2024-01-31T12:00:00.123456Z', reportingController: 'c', reportingInstance: 'i', action: 'a', reason: 'r', type: 'Normal', regarding: { kind: 'Pod', name: 'p' } };
    expect(checkSchema(sourced(event))).toEqual([]);
    expect(checkSchema(sourced({ ...event, eventTime: 'yesterday' }))).toMatchObject([{ rule: 'schema-format', path: 'eventTime' }]);
  });

  it('rejects an object where a list is expected', () => {
    const findings = checkSchema(sourced(withField(deployment, `${containerPath}.ports`, { containerPort: 80 })));
    expect(findings).toMatchObject([
      { rule: 'schema-type', path: `${containerPath}.ports`, message: expect.stringContaining('must be a list') },
    ]);
  });

  it('rejects a container without a name', () => {
    const findings = checkSchema(sourced(withField(deployment, `${containerPath}.name`, undefined)));
    expect(findings).toMatchObject([
      {
        rule: 'schema-required',
        path: `${containerPath}.name`,
        message: 'missing required field "name" in V1Container (Kubernetes 1.27)',
      },
    ]);
  });

  it('rejects a Service port without a port number', () => {
    const findings = checkSchema(sourced(withField(service, 'spec.ports[0].port', undefined)), '1.33');
    expect(findings).toMatchObject([{ rule: 'schema-required', path: 'spec.ports[0].port' }]);
  });

  it('rejects an object without metadata.name', () => {
    const findings = checkSchema(sourced(withField(namespace, 'metadata', {})));
    expect(findings).toMatchObject([
      { rule: 'schema-required', object: 'Namespace (unnamed)', path: 'metadata.name', apiServer: 'rejects' },
    ]);
  });

  it.each(SCHEMA_VERSIONS)('rejects autoscaling/v2beta2 on Kubernetes %s and points to autoscaling/v2', (version) => {
    const oldHpa = { ...hpa, apiVersion: 'autoscaling/v2beta2' };
    expect(checkSchema(sourced(oldHpa), version)).toEqual([
      {
        rule: 'schema-unknown-kind',
        severity: 'error',
        source: 'app.k8s.yaml',
        object: 'HorizontalPodAutoscaler shop/web',
        path: 'apiVersion',
        message:
          `autoscaling/v2beta2 HorizontalPodAutoscaler was removed in Kubernetes 1.26 and is not served by ` +
          `Kubernetes ${version}; use apiVersion: autoscaling/v2 (fields can differ between API versions)`,
        apiServer: 'rejects',
      },
    ]);
  });

  it('suggests the kind of a misspelt built-in kind', () => {
    const findings = checkSchema(sourced({ ...deployment, kind: 'Deploymnet' }));
    expect(findings).toMatchObject([
      { rule: 'schema-unknown-kind', severity: 'error', path: 'kind', message: expect.stringContaining('did you mean kind: Deployment?') },
    ]);
  });

  it('reads the group of an apiVersion up to its first slash, as Kubernetes does: apps/v1/extra is refused as a built-in group\'s, not taken for a custom resource', () => {
    expect(checkSchema(sourced({ ...deployment, apiVersion: 'apps/v1/extra' }))).toMatchObject([
      { rule: 'schema-unknown-kind', severity: 'error', path: 'apiVersion', message: expect.stringContaining('use apiVersion: apps/v1'), apiServer: 'rejects' },
    ]);
  });

  it('says when an API is served only by a later release', () => {
    const serviceCidr: KubeObject = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'ServiceCIDR',
      metadata: { name: 'extra' },
      spec: { cidrs: ['10.96.0.0/16'] },
    };
    expect(checkSchema(sourced(serviceCidr), '1.33')).toEqual([]);
    expect(checkSchema(sourced(serviceCidr), '1.27')).toMatchObject([
      {
        rule: 'schema-unknown-kind',
        severity: 'error',
        object: 'ServiceCIDR extra',
        message: expect.stringContaining('is not served yet by Kubernetes 1.27 (it is served by Kubernetes 1.33)'),
      },
    ]);
  });

  it('accepts a sidecar init container (restartPolicy, Kubernetes 1.28+) on 1.33 only', () => {
    const sidecar = { name: 'proxy', image: 'envoy:1.30', restartPolicy: 'Always' };
    const withSidecar = withField(deployment, 'spec.template.spec.initContainers', [sidecar]);
    expect(checkSchema(sourced(withSidecar), '1.33')).toEqual([]);
    expect(checkSchema(sourced(withSidecar), '1.27')).toMatchObject([
      {
        rule: 'schema-unknown-field',
        path: 'spec.template.spec.initContainers[0].restartPolicy',
        message: expect.stringContaining(
          'unknown field "restartPolicy" in V1Container (Kubernetes 1.27) ("restartPolicy" exists in Kubernetes 1.33)',
        ),
      },
    ]);
  });

  it.each(SCHEMA_VERSIONS)('accepts int-or-string and quantity fields as numbers and as strings on %s', (version) => {
    const asNumbers = withField(
      withField(deployment, `${containerPath}.resources`, { requests: { cpu: 0.5, memory: 134217728 } }),
      'spec.strategy.rollingUpdate',
      { maxSurge: 1, maxUnavailable: 0 },
    );
    const asStrings = withField(
      withField(deployment, `${containerPath}.resources`, { requests: { cpu: '500m', memory: '128Mi' } }),
      'spec.strategy.rollingUpdate',
      { maxSurge: '50%', maxUnavailable: '0' },
    );
    expect(checkSchema(sourced(asNumbers, asStrings), version)).toEqual([]);
  });

  it('rejects an int-or-string that is neither', () => {
    const findings = checkSchema(sourced(withField(service, 'spec.ports[0].targetPort', 80.5)));
    expect(findings).toMatchObject([{ rule: 'schema-type', path: 'spec.ports[0].targetPort' }]);
  });

  it('rejects a malformed quantity string', () => {
    const findings = checkSchema(sourced(withField(deployment, `${containerPath}.resources.limits.memory`, '1 GB')));
    expect(findings).toMatchObject([
      {
        rule: 'schema-format',
        path: `${containerPath}.resources.limits.memory`,
        message: expect.stringContaining('must be a quantity'),
      },
    ]);
  });

  it('warns once, without checking fields, about custom resources', () => {
    const certificate: KubeObject = {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: 'shop-tls', namespace: 'shop' },
      spec: { secretName: 'shop-tls', anything: { goes: true } },
    };
    expect(checkSchema(sourced(certificate))).toMatchObject([
      { rule: 'schema-unknown-kind', severity: 'warning', object: 'Certificate shop/shop-tls', apiServer: 'accepts' },
    ]);
  });

  it('names cluster-scoped objects without a namespace and namespaced ones with "default"', () => {
    const clusterRole = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'reader' }, rulez: [] };
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, date: {} };
    expect(checkSchema(sourced(clusterRole, configMap)).map((finding) => finding.object)).toEqual([
      'ClusterRole reader',
      'ConfigMap default/settings',
    ]);
  });

  it('throws for an unsupported version, naming the supported ones', () => {
    expect(() => checkSchema(sourced(deployment), '1.19')).toThrow(
      'Unsupported Kubernetes version "1.19" for schema validation; supported versions: 1.27, 1.33',
    );
  });
});

describe('resourceScope', () => {
  it.each(SCHEMA_VERSIONS)('knows cluster-scoped and namespaced kinds on %s', (version) => {
    expect(resourceScope('v1', 'Namespace', version)).toBe('Cluster');
    expect(resourceScope('apps/v1', 'Deployment', version)).toBe('Namespaced');
    expect(resourceScope('cert-manager.io/v1', 'Certificate', version)).toBeUndefined();
  });

  it('throws for an unsupported version', () => {
    expect(() => resourceScope('v1', 'Namespace', '2.0')).toThrow(/supported versions: 1.27, 1.33/);
  });
});

describe('generated schemas', () => {
  it('are up to date with the installed @kubernetes/client-node versions', () => {
    const root = path.resolve(__dirname, '../..');
    const outputDir = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-schemas-'));
    try {
      execFileSync(process.execPath, [path.join(root, 'scripts/gen-k8s-schemas.js'), outputDir], { stdio: 'pipe' });
      for (const version of SCHEMA_VERSIONS) {
        const file = `k8s-${version}.json`;
        const generated = fs.readFileSync(path.join(outputDir, file));
        const committed = fs.readFileSync(path.join(root, 'lib/manifest/api', file));
        expect({ file, upToDate: generated.equals(committed) }).toEqual({ file, upToDate: true });
      }
    } finally {
      fs.rmSync(outputDir, { recursive: true, force: true });
    }
  });
});

describe('loadSchema', () => {
  it('gives each model compiled once, by name, and nothing for a name the release lacks', () => {
    const schema = loadSchema('1.27');
    const container = schema.models.get('V1Container');
    expect(container?.fields.get('image')).toEqual({ kind: 'scalar', scalar: 'string' });
    expect(container?.fields.get('ports')).toEqual({ kind: 'array', items: { kind: 'model', model: 'V1ContainerPort' } });
    expect(container?.required).toEqual(['name']);
    expect(schema.models.get('V1Container')).toBe(container);
    expect(schema.models.get('V1ContainerTypo')).toBeUndefined();
    // Names an object has for every key are not models.
    expect(schema.models.get('constructor')).toBeUndefined();
    expect(schema.models.get('toString')).toBeUndefined();
  });
});

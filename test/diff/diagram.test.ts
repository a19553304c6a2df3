import { mermaidDiagram } from '../../lib/diff/diagram';
import { KubeObject, SourcedObject } from '../../lib/manifest/types';

function sourced(objects: KubeObject[]): SourcedObject[] {
  return objects.map((object, order) => ({ object, source: 'habr.k8s.yaml', order }));
}

function deployment(name: string, app: string, replicas: number, extraPodSpec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app } },
      template: { metadata: { labels: { app } }, spec: { containers: [{ name: app, image: `habr/${app}` }], ...extraPodSpec } },
    },
  };
}

function statefulSet(name: string, app: string, extraSpec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name },
    spec: {
      serviceName: name,
      selector: { matchLabels: { app } },
      template: { metadata: { labels: { app } }, spec: { containers: [{ name: app, image: app }] } },
      ...extraSpec,
    },
  };
}

function service(name: string, app: string, port: number): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app }, ports: [{ port, targetPort: port }] } };
}

function allow(name: string, server: string, from: Record<string, unknown>, port: number): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name },
    spec: {
      podSelector: { matchLabels: { app: server } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [from], ports: [{ protocol: 'TCP', port }] }],
    },
  };
}

const fromApp = (app: string) => ({ podSelector: { matchLabels: { app } } });
const fromIngressController = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } };

const sampleApp: KubeObject[] = [
  deployment('frontend-deployment', 'frontend', 2),
  deployment('backend-deployment', 'backend', 3, {
    containers: [
      {
        name: 'backend',
        image: 'habr/backend',
        env: [{ name: 'MONGO_PASSWORD', valueFrom: { secretKeyRef: { name: 'mongo-credentials', key: 'password' } } }],
        envFrom: [{ configMapRef: { name: 'backend-config' } }],
      },
    ],
  }),
  service('frontend-service', 'frontend', 40002),
  service('backend-service', 'backend', 40001),
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'habr-ingress' },
    spec: {
      ingressClassName: 'nginx',
      rules: [
        { host: 'habr.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'frontend-service', port: { number: 40002 } } } }] } },
        { host: 'api.habr.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'backend-service', port: { number: 40001 } } } }] } },
      ],
    },
  },
  statefulSet('mongo', 'mongo', {
    volumeClaimTemplates: [{ metadata: { name: 'mongo-data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } } }],
  }),
  service('mongo', 'mongo', 27017),
  statefulSet('redis', 'redis'),
  service('redis', 'redis', 6379),
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'backend-config' }, data: { LOG_LEVEL: 'info' } },
  {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'backend-hpa' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'backend-deployment' }, minReplicas: 3, maxReplicas: 10 },
  },
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'default-deny' },
    spec: { podSelector: {}, policyTypes: ['Ingress'] },
  },
  allow('backend-to-mongo', 'mongo', fromApp('backend'), 27017),
  allow('backend-to-redis', 'redis', fromApp('backend'), 6379),
  allow('frontend-to-backend', 'backend', fromApp('frontend'), 40001),
  allow('ingress-to-frontend', 'frontend', fromIngressController, 40002),
  allow('ingress-to-backend', 'backend', fromIngressController, 40001),
];

/** `from` → `to` edges of the flowchart, with their label, as the text between the ids. */
function edges(diagram: string): string[] {
  return diagram.split('\n').filter((line) => /^ {2}\w+ (-->|---|-\.->|==>)/.test(line)).map((line) => line.trim());
}

describe('mermaidDiagram', () => {
  const diagram = mermaidDiagram(sourced(sampleApp), { title: 'habr' });

  test('is a Markdown document with a titled mermaid flowchart and a legend', () => {
    expect(diagram.startsWith('# habr\n\n```mermaid\nflowchart LR\n')).toBe(true);
    expect(diagram).toMatch(/```\n\nLegend: .+\n$/);
  });

  test('shows every workload with its replicas, every service and every host', () => {
    expect(diagram).toContain('deploy_default_frontend_deployment["Deployment<br/>frontend-deployment<br/>replicas: 2"]');
    expect(diagram).toContain('deploy_default_backend_deployment["Deployment<br/>backend-deployment<br/>replicas: 3"]');
    expect(diagram).toContain('sts_default_mongo["StatefulSet<br/>mongo<br/>replicas: 1"]');
    expect(diagram).toContain('sts_default_redis["StatefulSet<br/>redis<br/>replicas: 1"]');
    for (const name of ['frontend_service', 'backend_service', 'mongo', 'redis']) {
      expect(diagram).toContain(`svc_default_${name}(`);
    }
    expect(diagram).toContain('host_habr_example_com(["Host<br/>habr.example.com"])');
    expect(diagram).toContain('host_api_habr_example_com(["Host<br/>api.habr.example.com"])');
  });

  test('routes hosts to services, services to the workloads they select, and draws the claims as cylinders', () => {
    expect(edges(diagram)).toEqual(
      expect.arrayContaining([
        'host_habr_example_com -->|"/"| svc_default_frontend_service',
        'host_api_habr_example_com -->|"/"| svc_default_backend_service',
        'svc_default_frontend_service --> deploy_default_frontend_deployment',
        'svc_default_backend_service --> deploy_default_backend_deployment',
        'svc_default_mongo --> sts_default_mongo',
        'svc_default_redis --> sts_default_redis',
        'sts_default_mongo --- pvct_sts_default_mongo_mongo_data',
        'deploy_default_backend_deployment -.-> cm_default_backend_config',
        'deploy_default_backend_deployment -.-> secret_default_mongo_credentials',
        'hpa_default_backend_hpa -.->|"scales"| deploy_default_backend_deployment',
      ]),
    );
    expect(diagram).toContain('pvct_sts_default_mongo_mongo_data[("PVC template<br/>mongo-data<br/>10Gi")]');
    expect(diagram).toContain('secret_default_mongo_credentials{{"Secret<br/>mongo-credentials<br/>(not in manifests)"}}');
  });

  test('draws exactly the connections the NetworkPolicies allow, labelled with their ports', () => {
    expect(edges(diagram).filter((edge) => edge.includes('==>'))).toEqual([
      'deploy_default_backend_deployment ==>|"27017"| sts_default_mongo',
      'deploy_default_backend_deployment ==>|"6379"| sts_default_redis',
      'deploy_default_frontend_deployment ==>|"40001"| deploy_default_backend_deployment',
      'ns_ingress_nginx ==>|"40001"| deploy_default_backend_deployment',
      'ns_ingress_nginx ==>|"40002"| deploy_default_frontend_deployment',
    ]);
    expect(diagram).toContain('ns_ingress_nginx[/"Namespace<br/>ingress-nginx"\\]');
  });

  test('uses only Mermaid-safe node ids, and keeps names that sanitize alike apart', () => {
    const tricky = sourced([deployment('api.v2', 'a', 1), deployment('api-v2', 'b', 1), service('end', 'a', 80)]);
    const output = mermaidDiagram(tricky);
    const ids = output
      .split('\n')
      .filter((line) => /^ {2}\S/.test(line) && !line.startsWith('  subgraph'))
      .flatMap((line) => line.trim().split(/ (?:-->|---|-\.->|==>)(?:\|"[^"]*"\|)? /).map((part) => part.match(/^[^[({]+/)![0]));
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) {
      expect(id).toMatch(/^[A-Za-z][A-Za-z0-9_]*$/);
    }
    expect(output).toContain('deploy_default_api_v2["Deployment<br/>api-v2<br/>replicas: 1"]');
    expect(output).toContain('deploy_default_api_v2_2["Deployment<br/>api.v2<br/>replicas: 1"]');
    expect(output).toContain('svc_default_end --> deploy_default_api_v2_2');
  });

  test('groups nodes by namespace only when the objects span several namespaces', () => {
    expect(diagram).not.toContain('subgraph');
    const inTwoNamespaces = sourced([
      deployment('web', 'web', 1),
      { ...deployment('worker', 'worker', 1), metadata: { name: 'worker', namespace: 'jobs' } },
      {
        ...allow('web-to-worker', 'worker', { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'default' } }, podSelector: { matchLabels: { app: 'web' } } }, 8080),
        metadata: { name: 'web-to-worker', namespace: 'jobs' },
      },
    ]);
    const output = mermaidDiagram(inTwoNamespaces);
    expect(output).toContain(
      [
        '  subgraph namespace_default ["namespace default"]',
        '    deploy_default_web["Deployment<br/>web<br/>replicas: 1"]',
        '  end',
        '  subgraph namespace_jobs ["namespace jobs"]',
        '    deploy_jobs_worker["Deployment<br/>worker<br/>replicas: 1"]',
        '  end',
        '  deploy_default_web ==>|"8080"| deploy_jobs_worker',
      ].join('\n'),
    );
  });

  test('is deterministic whatever the order of the objects', () => {
    expect(mermaidDiagram(sourced([...sampleApp].reverse()), { title: 'habr' })).toBe(diagram);
  });

  test('snapshot of the sample app', () => {
    expect(diagram).toMatchSnapshot();
  });

  test('shows each released version, and which one is live or the canary', () => {
    const VERSION = 'release.habr-k8s.io/version';
    const version = (app: string, v: string): KubeObject => {
      const labels = { app, [VERSION]: v };
      return {
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `${app}-${v}-deployment` },
        spec: { replicas: 1, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: app, image: app }] } } },
      };
    };
    const versionService = (name: string, app: string, v: string): KubeObject => ({
      apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app, [VERSION]: v }, ports: [{ port: 80 }] },
    });
    const route = (name: string, serviceName: string, annotations?: Record<string, string>): KubeObject => ({
      apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name, annotations },
      spec: { rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: serviceName, port: { number: 80 } } } }] } }] },
    });
    const output = mermaidDiagram(sourced([
      version('web', 'blue'), version('web', 'green'), version('api', 'v1'), version('api', 'v2'),
      versionService('web-service', 'web', 'blue'), versionService('web-preview-service', 'web', 'green'),
      versionService('api-service', 'api', 'v1'), versionService('api-canary-service', 'api', 'v2'),
      route('web', 'web-service'), route('api', 'api-service'),
      route('api-canary', 'api-canary-service', { 'nginx.ingress.kubernetes.io/canary': 'true', 'nginx.ingress.kubernetes.io/canary-weight': '20' }),
    ]));
    expect(output).toContain('deploy_default_web_blue_deployment["Deployment<br/>web-blue-deployment<br/>replicas: 1<br/>version: blue (live)"]');
    expect(output).toContain('deploy_default_web_green_deployment["Deployment<br/>web-green-deployment<br/>replicas: 1<br/>version: green"]');
    expect(output).toContain('deploy_default_api_v1_deployment["Deployment<br/>api-v1-deployment<br/>replicas: 1<br/>version: v1 (live)"]');
    expect(output).toContain('deploy_default_api_v2_deployment["Deployment<br/>api-v2-deployment<br/>replicas: 1<br/>version: v2 (canary 20%)"]');
    expect(output).toContain('host_shop_example_com -->|"/ canary 20%"| svc_default_api_canary_service');
    expect(output).toContain('host_shop_example_com -->|"/"| svc_default_api_service');
  });

  test('draws an HTTPRoute\'s weighted backends and marks the version with the smaller share as the canary', () => {
    const VERSION = 'release.habr-k8s.io/version';
    const version = (v: string): KubeObject => {
      const labels = { app: 'web', [VERSION]: v };
      return {
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `web-${v}-deployment` },
        spec: { replicas: 1, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'web' }] } } },
      };
    };
    const versionService = (name: string, v: string): KubeObject => ({
      apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: 'web', [VERSION]: v }, ports: [{ port: 80 }] },
    });
    const route: KubeObject = {
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'web-route' },
      spec: {
        parentRefs: [{ name: 'edge' }], hostnames: ['shop.example.com'],
        rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'web-service', port: 80, weight: 90 }, { name: 'web-canary-service', port: 80, weight: 10 }] }],
      },
    };
    const output = mermaidDiagram(sourced([version('v1'), version('v2'), versionService('web-service', 'v1'), versionService('web-canary-service', 'v2'), route]));
    expect(output).toContain('host_shop_example_com -->|"/ 90%"| svc_default_web_service');
    expect(output).toContain('host_shop_example_com -->|"/ 10%"| svc_default_web_canary_service');
    expect(output).toContain('web-v1-deployment<br/>replicas: 1<br/>version: v1 (live)"]');
    expect(output).toContain('web-v2-deployment<br/>replicas: 1<br/>version: v2 (canary 10%)"]');
  });
});

/**
 * The benchmark unit (Deployment + Service + HorizontalPodAutoscaler, see units-webapp.ts) as
 * exactly the plain objects our pipeline synthesizes for it, built by hand (test/bench/units.test.ts
 * holds them equal to `renderApp`'s). Loading this file loads neither cdk8s nor yaml, so the
 * scenarios built on it (the floors) measure building and serializing the same output alone.
 */

export function unitName(index: number): string {
  return `web-${String(index).padStart(5, '0')}`;
}

/** The 3 × `units` manifest objects of `units` units, in apply order. */
export function buildPlainUnits(units: number): object[] {
  const objects: object[] = [];
  for (let index = 0; index < units; index++) {
    const name = unitName(index);
    objects.push(deployment(name), service(name), horizontalPodAutoscaler(name));
  }
  return objects;
}

/** The application the units are part of (the charts' `app.kubernetes.io/part-of` label). */
export const BENCH_APP = 'bench';

function selectorLabels(name: string): Record<string, string> {
  return { 'app.kubernetes.io/name': name };
}

/** The recommended labels of a unit's objects and pods, in the order the output sorts them. */
function labels(name: string): Record<string, string> {
  return {
    'app.kubernetes.io/instance': BENCH_APP,
    'app.kubernetes.io/managed-by': 'habr-k8s',
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/part-of': BENCH_APP,
    'app.kubernetes.io/version': '1.4.2',
  };
}

function httpProbe(extra: Record<string, number>): object {
  return { httpGet: { path: '/healthz', port: 'http' }, ...extra };
}

function deployment(name: string): object {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { labels: labels(name), name: `${name}-deployment` },
    spec: {
      selector: { matchLabels: selectorLabels(name) },
      template: {
        metadata: { labels: labels(name) },
        spec: {
          automountServiceAccountToken: false,
          containers: [
            {
              env: [
                { name: 'LOG_LEVEL', value: 'info' },
                { name: 'FEATURE_FLAG', value: 'true' },
                { name: 'WORKERS', value: '4' },
              ],
              image: `registry.example.com/${name}:1.4.2`,
              imagePullPolicy: 'IfNotPresent',
              livenessProbe: httpProbe({ initialDelaySeconds: 10 }),
              name,
              ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' }],
              readinessProbe: httpProbe({ periodSeconds: 5 }),
              resources: {
                limits: { cpu: '500m', memory: '256Mi' },
                requests: { cpu: '250m', memory: '128Mi' },
              },
              securityContext: {
                allowPrivilegeEscalation: false,
                capabilities: { drop: ['ALL'] },
                readOnlyRootFilesystem: true,
              },
              volumeMounts: [{ mountPath: '/tmp', name: 'tmp' }],
            },
          ],
          securityContext: {
            fsGroup: 10001,
            runAsGroup: 10001,
            runAsNonRoot: true,
            runAsUser: 10001,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          volumes: [{ emptyDir: {}, name: 'tmp' }],
        },
      },
    },
  };
}

function service(name: string): object {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { labels: labels(name), name: `${name}-service` },
    spec: {
      ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' }],
      selector: selectorLabels(name),
      type: 'ClusterIP',
    },
  };
}

function horizontalPodAutoscaler(name: string): object {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { labels: labels(name), name: `${name}-hpa` },
    spec: {
      maxReplicas: 10,
      metrics: [
        { resource: { name: 'cpu', target: { averageUtilization: 70, type: 'Utilization' } }, type: 'Resource' },
      ],
      minReplicas: 2,
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: `${name}-deployment` },
    },
  };
}

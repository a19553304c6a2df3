/**
 * The benchmark unit (Deployment + Service + HorizontalPodAutoscaler, see units-plus.ts) as the
 * plain objects cdk8s-plus-27 synthesizes for it, built by hand. Loading this file loads neither
 * cdk8s nor yaml, so scenarios built on it measure serialization alone.
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

function selectorLabels(name: string): Record<string, string> {
  return { 'cdk8s.io/metadata.addr': `${name}-deployment-c8c2e344` };
}

function httpProbe(extra: Record<string, number>): object {
  return { failureThreshold: 3, httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' }, ...extra };
}

function deployment(name: string): object {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { labels: { 'app.kubernetes.io/name': name }, name },
    spec: {
      minReadySeconds: 0,
      progressDeadlineSeconds: 600,
      selector: { matchLabels: selectorLabels(name) },
      strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' }, type: 'RollingUpdate' },
      template: {
        metadata: { labels: selectorLabels(name) },
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
              imagePullPolicy: 'Always',
              livenessProbe: httpProbe({ initialDelaySeconds: 10 }),
              name: 'web',
              ports: [{ containerPort: 8080 }],
              readinessProbe: httpProbe({ periodSeconds: 5 }),
              resources: {
                limits: { cpu: '500m', memory: '256Mi' },
                requests: { cpu: '250m', memory: '128Mi' },
              },
              securityContext: {
                allowPrivilegeEscalation: false,
                privileged: false,
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
              },
              startupProbe: { failureThreshold: 3, tcpSocket: { port: 8080 } },
            },
          ],
          dnsPolicy: 'ClusterFirst',
          hostNetwork: false,
          restartPolicy: 'Always',
          securityContext: { fsGroupChangePolicy: 'Always', runAsNonRoot: true },
          setHostnameAsFQDN: false,
          terminationGracePeriodSeconds: 30,
        },
      },
    },
  };
}

function service(name: string): object {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name },
    spec: {
      externalIPs: [],
      ports: [{ port: 80, targetPort: 8080 }],
      selector: selectorLabels(name),
      type: 'ClusterIP',
    },
  };
}

function horizontalPodAutoscaler(name: string): object {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name },
    spec: {
      behavior: {
        scaleDown: {
          policies: [{ periodSeconds: 300, type: 'Pods', value: 2 }],
          selectPolicy: 'Max',
          stabilizationWindowSeconds: 300,
        },
        scaleUp: {
          policies: [
            { periodSeconds: 60, type: 'Pods', value: 4 },
            { periodSeconds: 60, type: 'Percent', value: 200 },
          ],
          selectPolicy: 'Max',
          stabilizationWindowSeconds: 0,
        },
      },
      maxReplicas: 10,
      metrics: [
        { resource: { name: 'cpu', target: { averageUtilization: 70, type: 'Utilization' } }, type: 'Resource' },
      ],
      minReplicas: 2,
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
    },
  };
}

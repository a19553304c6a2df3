/**
 * One benchmark "unit" is a small web service: a Deployment, a Service in front of it, and a
 * HorizontalPodAutoscaler. This file builds it with cdk8s-plus-27 constructs, with the same
 * containers, probes and resources as units-webapp.ts (cdk8s-plus adds its own defaults, so its
 * objects are larger than ours).
 */
import { App, Chart, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';

import { unitName } from './units-plain';

/** Builds `units` units with cdk8s-plus-27, `chartSize` units per chart (the last chart may hold fewer). */
export function buildPlusUnits(app: App, units: number, chartSize = 1): void {
  let chart: Chart | undefined;
  for (let index = 0; index < units; index++) {
    const name = unitName(index);
    if (index % chartSize === 0) chart = new Chart(app, chartSize === 1 ? name : `chart-${index / chartSize}`, { disableResourceNameHashes: true });
    addPlusUnit(chart!, name);
  }
}

function addPlusUnit(chart: Chart, name: string): void {
  const deployment = new kplus.Deployment(chart, `${name}-deployment`, {
    metadata: { name, labels: { 'app.kubernetes.io/name': name } },
    containers: [
      {
        name: 'web',
        image: `registry.example.com/${name}:1.4.2`,
        portNumber: 8080,
        envVariables: {
          LOG_LEVEL: kplus.EnvValue.fromValue('info'),
          FEATURE_FLAG: kplus.EnvValue.fromValue('true'),
          WORKERS: kplus.EnvValue.fromValue('4'),
        },
        resources: {
          cpu: { request: kplus.Cpu.millis(250), limit: kplus.Cpu.millis(500) },
          memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
        },
        readiness: kplus.Probe.fromHttpGet('/healthz', { port: 8080, periodSeconds: Duration.seconds(5) }),
        liveness: kplus.Probe.fromHttpGet('/healthz', { port: 8080, initialDelaySeconds: Duration.seconds(10) }),
      },
    ],
  });
  deployment.exposeViaService({ name, ports: [{ port: 80, targetPort: 8080 }] });
  new kplus.HorizontalPodAutoscaler(chart, `${name}-hpa`, {
    metadata: { name },
    target: deployment,
    minReplicas: 2,
    maxReplicas: 10,
    metrics: [kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(70))],
  });
}

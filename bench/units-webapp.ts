/**
 * The benchmark unit (Deployment + Service + HPA) built with our constructs; units-plain.ts builds
 * the same output by hand.
 */
import { App, Chart } from 'cdk8s';
import { HpaPolicy, WebApp } from '../lib';
import { PART_OF_LABEL } from '../lib/constructs/labels';
import { BENCH_APP, unitName } from './units-plain';

/** Builds `units` units with WebApp and HpaPolicy, `chartSize` units per chart (the last chart may hold fewer). */
export function buildWebAppUnits(app: App, units: number, chartSize = 1): void {
  let chart: Chart | undefined;
  for (let index = 0; index < units; index++) {
    const name = unitName(index);
    if (index % chartSize === 0) {
      chart = new Chart(app, chartSize === 1 ? name : `chart-${index / chartSize}`, { disableResourceNameHashes: true, labels: { [PART_OF_LABEL]: BENCH_APP } });
    }
    const web = new WebApp(chart!, name, {
      name,
      image: `registry.example.com/${name}:1.4.2`,
      port: 8080,
      servicePort: 80,
      env: { LOG_LEVEL: 'info', FEATURE_FLAG: 'true', WORKERS: '4' },
      resources: { requests: { cpu: '250m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
      readiness: { httpGet: { path: '/healthz' }, periodSeconds: 5 },
      liveness: { httpGet: { path: '/healthz' }, initialDelaySeconds: 10 },
      networkPolicy: false,
    });
    new HpaPolicy(chart!, `${name}-hpa`, { target: web, minReplicas: 2, maxReplicas: 10, cpuUtilization: 70 });
  }
}

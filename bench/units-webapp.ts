/**
 * The benchmark unit (Deployment + Service + HPA, see units-plus.ts) built with our constructs.
 */
import { App, Chart } from 'cdk8s';
import { HpaPolicy, WebApp } from '../lib';
import { unitName } from './units-plain';

/** Builds `units` units with WebApp and HpaPolicy, one chart per unit. */
export function buildWebAppUnits(app: App, units: number): void {
  for (let index = 0; index < units; index++) {
    const name = unitName(index);
    const chart = new Chart(app, name, { disableResourceNameHashes: true });
    const web = new WebApp(chart, 'web', {
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
    new HpaPolicy(chart, 'hpa', { target: web, minReplicas: 2, maxReplicas: 10, cpuUtilization: 70 });
  }
}

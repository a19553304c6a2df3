import { WebApp, WebAppProps } from '../../lib';
import { find, newChart, synth } from '../helpers';

/** Builds a WebApp `app` (port 8080 unless overridden) and returns its synthesized Deployment. */
export function deploymentOf(props: Partial<WebAppProps> = {}) {
  const chart = newChart();
  new WebApp(chart, 'App', { name: 'app', image: 'app:1.0', port: 8080, ...props });
  return find(synth(chart), 'Deployment', 'app-deployment');
}

/** A thunk that builds a WebApp `app` with `props`, for expecting its errors. */
export function build(props: Partial<WebAppProps>) {
  return () => new WebApp(newChart(), 'App', { name: 'app', image: 'app:1.0', port: 8080, ...props });
}

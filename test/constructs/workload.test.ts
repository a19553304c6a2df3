import { Construct } from 'constructs';
import { WebApp } from '../../lib';
import { NAME_LABEL } from '../../lib/constructs/labels';
import { findPort } from '../../lib/constructs/pod-target';
import { namespaceOf, selectorLabelsFor } from '../../lib/constructs/workload';
import { newChart } from '../helpers';

describe('workload helpers', () => {
  test('selector labels use app.kubernetes.io/name', () => {
    expect(NAME_LABEL).toBe('app.kubernetes.io/name');
    expect(selectorLabelsFor('backend')).toEqual({ 'app.kubernetes.io/name': 'backend' });
  });
  test('namespaceOf is the chart namespace, default when the chart has none', () => {
    expect(namespaceOf(new Construct(newChart(), 'X'))).toBe('default');
    expect(namespaceOf(new Construct(newChart('shop'), 'X'))).toBe('shop');
  });
  test('findPort resolves by number or name', () => {
    const app = new WebApp(newChart(), 'App', { name: 'app', image: 'app:1.0', port: 8080, portName: 'web' });
    expect(findPort(app, 8080)).toEqual({ name: 'web', port: 8080 });
    expect(findPort(app, 'web')).toEqual({ name: 'web', port: 8080 });
    expect(findPort(app, 80)).toBeUndefined();
  });
  test('a WebApp is scaled as its Deployment', () => {
    const app = new WebApp(newChart(), 'App', { name: 'app', image: 'app:1.0' });
    expect(app.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'app-deployment' });
    expect(app.containerRequests).toEqual([{ cpu: '100m', memory: '128Mi' }]);
  });
});

import { WebApp, WorkloadDisruptionBudget } from '../../lib';
import { find, invalid, newChart, synth } from '../helpers';

function setup() {
  const chart = newChart();
  const target = new WebApp(chart, 'App', { name: 'app', image: 'app:1.0', port: 8080, replicas: 3, networkPolicy: false });
  return { chart, target };
}

describe('WorkloadDisruptionBudget', () => {
  test('maxUnavailable 1 by default, selecting the target pods', () => {
    const { chart, target } = setup();
    new WorkloadDisruptionBudget(chart, 'Pdb', { target });
    expect(find(synth(chart), 'PodDisruptionBudget', 'app-pdb').spec).toEqual({
      maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': 'app' } },
    });
  });
  test('a count or a percentage', () => {
    const { chart, target } = setup();
    new WorkloadDisruptionBudget(chart, 'Pdb', { target, maxUnavailable: '25%', replicas: () => 4 });
    expect(find(synth(chart), 'PodDisruptionBudget', 'app-pdb').spec.maxUnavailable).toBe('25%');
  });
  test('zero, as a count or a percentage, is refused', () => {
    const { chart, target } = setup();
    expect(() => new WorkloadDisruptionBudget(chart, 'A', { target, maxUnavailable: 0 })).toThrow(invalid('test/A', 'disruptionBudget.maxUnavailable', 0));
    expect(() => new WorkloadDisruptionBudget(chart, 'B', { target, maxUnavailable: '0%' })).toThrow(invalid('test/B', 'disruptionBudget.maxUnavailable', '0%'));
  });
  test('bad values are refused', () => {
    const { chart, target } = setup();
    expect(() => new WorkloadDisruptionBudget(chart, 'A', { target, maxUnavailable: -1 })).toThrow(invalid('test/A', 'disruptionBudget.maxUnavailable', -1));
    expect(() => new WorkloadDisruptionBudget(chart, 'B', { target, maxUnavailable: '150%' })).toThrow(invalid('test/B', 'disruptionBudget.maxUnavailable', '150%'));
  });
  test('a fixed single replica is refused; no replica count is not checked', () => {
    const { chart, target } = setup();
    expect(() => new WorkloadDisruptionBudget(chart, 'A', { target, replicas: () => 1 })).toThrow(invalid('test/A', 'replicas', 1));
    expect(() => new WorkloadDisruptionBudget(chart, 'B', { target, replicas: () => 0 })).toThrow(invalid('test/B', 'replicas', 0));
    expect(() => new WorkloadDisruptionBudget(chart, 'C', { target, replicas: () => undefined })).not.toThrow();
    expect(synth(chart).filter((o) => o.kind === 'PodDisruptionBudget')).toHaveLength(1);
  });
  test('a WebApp budget with zero is refused naming the budget construct', () => {
    expect(() => new WebApp(newChart(), 'App', { name: 'app', image: 'app:1.0', replicas: 2, disruptionBudget: { maxUnavailable: '0%' } }))
      .toThrow(invalid('test/App/DisruptionBudget', 'disruptionBudget.maxUnavailable', '0%'));
  });
});

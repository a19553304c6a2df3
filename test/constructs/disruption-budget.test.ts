import { Testing } from 'cdk8s';
import { WebApp, WorkloadDisruptionBudget } from '../../lib';
import { find, invalid, invalidAtSynth, newChart, synth, testChartLabels } from '../helpers';

function setup() {
  const chart = newChart();
  const target = new WebApp(chart, 'App', { name: 'app', image: 'app:1.0', port: 8080, replicas: 3, networkPolicy: false });
  return { chart, target };
}

describe('WorkloadDisruptionBudget', () => {
  test('maxUnavailable 1 by default, selecting the target pods', () => {
    const { chart, target } = setup();
    new WorkloadDisruptionBudget(chart, 'Pdb', { target });
    const budget = find(synth(chart), 'PodDisruptionBudget', 'app-pdb');
    expect(budget.spec).toEqual({
      maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': 'app' } }, unhealthyPodEvictionPolicy: 'AlwaysAllow',
    });
    // The target's labels, so that `kubectl get pdb -l app.kubernetes.io/name=app` finds it.
    expect(budget.metadata.labels).toEqual(testChartLabels('app', { 'app.kubernetes.io/version': '1.0' }));
  });
  test('unhealthy pods may always be evicted unless IfHealthyBudget is asked for', () => {
    const { chart, target } = setup();
    new WorkloadDisruptionBudget(chart, 'Pdb', { target, unhealthyPodEvictionPolicy: 'IfHealthyBudget' });
    expect(find(synth(chart), 'PodDisruptionBudget', 'app-pdb').spec.unhealthyPodEvictionPolicy).toBe('IfHealthyBudget');
    const policy = 'Sometimes' as 'AlwaysAllow';
    expect(() => new WorkloadDisruptionBudget(chart, 'Bad', { target, unhealthyPodEvictionPolicy: policy }))
      .toThrow(invalid('test/Bad', 'disruptionBudget.unhealthyPodEvictionPolicy', 'Sometimes'));
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
    expect(() => new WorkloadDisruptionBudget(chart, 'C', { target, maxUnavailable: '00%' })).toThrow(invalid('test/C', 'disruptionBudget.maxUnavailable', '00%'));
  });
  test('bad values are refused', () => {
    const { chart, target } = setup();
    expect(() => new WorkloadDisruptionBudget(chart, 'A', { target, maxUnavailable: -1 })).toThrow(invalid('test/A', 'disruptionBudget.maxUnavailable', -1));
    expect(() => new WorkloadDisruptionBudget(chart, 'B', { target, maxUnavailable: '150%' })).toThrow(invalid('test/B', 'disruptionBudget.maxUnavailable', '150%'));
  });
  test.each([1, 0])('a fixed replica count of %p is refused at synthesis', (replicas) => {
    const { chart, target } = setup();
    new WorkloadDisruptionBudget(chart, 'A', { target, replicas: () => replicas });
    expect(() => Testing.synth(chart)).toThrow(invalidAtSynth('test/A', 'replicas', replicas));
  });
  test('the replica count is read at synthesis, after an autoscaler may have released it', () => {
    const { chart, target } = setup();
    let fixed: number | undefined = 1;
    new WorkloadDisruptionBudget(chart, 'A', { target, replicas: () => fixed });
    fixed = undefined;
    expect(synth(chart).filter((o) => o.kind === 'PodDisruptionBudget')).toHaveLength(1);
  });
  test('a refused budget leaves no construct behind', () => {
    const { chart, target } = setup();
    expect(() => new WorkloadDisruptionBudget(chart, 'Pdb', { target, maxUnavailable: 0 })).toThrow(invalid('test/Pdb', 'disruptionBudget.maxUnavailable', 0));
    expect(chart.node.tryFindChild('Pdb')).toBeUndefined();
  });
  test('a WebApp budget with zero is refused naming the WebApp it was given to', () => {
    expect(() => new WebApp(newChart(), 'App', { name: 'app', image: 'app:1.0', replicas: 2, disruptionBudget: { maxUnavailable: '0%' } }))
      .toThrow(invalid('test/App', 'disruptionBudget.maxUnavailable', '0%'));
  });
});

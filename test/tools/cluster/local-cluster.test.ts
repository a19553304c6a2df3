import { controllerManagerRateFlags, KWOK_NODE_ANNOTATION, simulatedNodes } from '../../../tools/cluster/local-cluster';

test('simulated nodes have distinct host names, three zones and the annotation kwok manages', () => {
  const nodes = simulatedNodes(4).split('\n').map((line) => JSON.parse(line));
  expect(nodes.map((n) => n.metadata.labels['kubernetes.io/hostname'])).toEqual(['kwok-node-0', 'kwok-node-1', 'kwok-node-2', 'kwok-node-3']);
  expect(nodes.map((n) => n.metadata.labels['topology.kubernetes.io/zone'])).toEqual(['zone-a', 'zone-b', 'zone-c', 'zone-a']);
  expect(nodes.every((n) => n.metadata.annotations[KWOK_NODE_ANNOTATION] === 'fake')).toBe(true);
  // No taint: the stack's pods carry no kwok toleration and must still be scheduled.
  expect(nodes.every((n) => n.spec === undefined)).toBe(true);
});

test('the controller-manager keeps its own client rate unless one is asked for; burst is twice the rate', () => {
  expect(controllerManagerRateFlags(undefined)).toEqual([]);
  expect(controllerManagerRateFlags(200)).toEqual(['--kube-api-qps=200', '--kube-api-burst=400']);
  expect(() => controllerManagerRateFlags(0)).toThrow('controllerManagerQps must be a whole number of requests a second from 1 up, not 0');
  expect(() => controllerManagerRateFlags(2.5)).toThrow('not 2.5');
});

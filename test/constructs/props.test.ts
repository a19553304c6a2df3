import { Construct } from 'constructs';
import {
  AppConfig, BatchJob, DefaultDenyIngress, HpaPolicy, IngressedService, MongoStatefulSet, Peer, RedisStatefulSet,
  ScheduledJob, StatefulApp, StatefulAppBase, WebApp, WorkloadDisruptionBudget,
} from '../../lib';
import {
  checkAbsolutePath, checkAnnotations, checkDns1035Label, checkDns1123Label, checkDns1123Subdomain, checkEnvName,
  checkInteger, checkLabels, checkNonEmpty, checkOneOf, checkPinnedImage, checkPort, checkPortName, invalidProp,
} from '../../lib/constructs/props';
import { isQuantity, parseQuantity } from '../../lib/manifest/quantity';
import { invalid, newChart } from '../helpers';

function scope(): Construct {
  return new Construct(newChart(), 'App');
}

describe('invalidProp', () => {
  test('names the construct path, the field, the JSON value and what is allowed', () => {
    expect(invalidProp(scope(), 'port', 70000, 'must be a port').message).toBe('test/App: invalid port 70000: must be a port');
    expect(invalidProp(scope(), 'name', 'Bad', 'lowercase').message).toBe('test/App: invalid name "Bad": lowercase');
    expect(invalidProp(scope(), 'metrics', undefined, 'give one').message).toBe('test/App: invalid metrics (missing): give one');
    expect(invalidProp(scope(), 'rollout', { maxSurge: 0 }, 'x').message).toBe('test/App: invalid rollout {"maxSurge":0}: x');
  });
});

describe('name checks', () => {
  test.each(['Backend', 'back_end', '-backend', 'backend-', 'a'.repeat(64), ''])('DNS-1123 label refuses %j', (name) => {
    expect(() => checkDns1123Label(scope(), 'name', name)).toThrow(invalid('test/App', 'name', name));
  });
  test.each(['backend', 'b', '1app', 'a'.repeat(63)])('DNS-1123 label accepts %j', (name) => {
    expect(checkDns1123Label(scope(), 'name', name)).toBe(name);
  });
  test('DNS-1035 label must start with a letter', () => {
    expect(checkDns1035Label(scope(), 'svc', 'a1-service')).toBe('a1-service');
    expect(() => checkDns1035Label(scope(), 'svc', '1a-service')).toThrow(invalid('test/App', 'svc', '1a-service'));
  });
  test('DNS-1123 subdomain allows dots, not uppercase or empty labels', () => {
    expect(checkDns1123Subdomain(scope(), 'host', 'frontend.localhost')).toBe('frontend.localhost');
    expect(() => checkDns1123Subdomain(scope(), 'host', 'Front.localhost')).toThrow(invalid('test/App', 'host', 'Front.localhost'));
    expect(() => checkDns1123Subdomain(scope(), 'host', 'a..b')).toThrow(invalid('test/App', 'host', 'a..b'));
  });
  test('port names are IANA service names', () => {
    expect(checkPortName(scope(), 'portName', 'http')).toBe('http');
    for (const bad of ['HTTP', '8080', 'a--b', 'a-very-long-port-name', '-http']) {
      expect(() => checkPortName(scope(), 'portName', bad)).toThrow(invalid('test/App', 'portName', bad));
    }
  });
  test('env names', () => {
    expect(checkEnvName(scope(), 'env key', 'APP_ENV')).toBe('APP_ENV');
    expect(() => checkEnvName(scope(), 'env key', '1APP')).toThrow(invalid('test/App', 'env key', '1APP'));
    expect(() => checkEnvName(scope(), 'env key', 'APP ENV')).toThrow(invalid('test/App', 'env key', 'APP ENV'));
  });
});

describe('numbers and strings', () => {
  test.each([0, -1, 65536, 70000, 80.5])('port %p is refused', (port) => {
    expect(() => checkPort(scope(), 'port', port)).toThrow(invalid('test/App', 'port', port));
  });
  test('ports 1 and 65535 are accepted', () => {
    expect(checkPort(scope(), 'port', 1)).toBe(1);
    expect(checkPort(scope(), 'port', 65535)).toBe(65535);
  });
  test('integers below the minimum, above the maximum or fractional are refused with the range', () => {
    expect(() => checkInteger(scope(), 'replicas', -1, 0)).toThrow(/test\/App: invalid replicas -1: must be an integer >= 0$/);
    expect(() => checkInteger(scope(), 'x', 11, 1, 10)).toThrow(/test\/App: invalid x 11: must be an integer from 1 to 10$/);
    expect(() => checkInteger(scope(), 'x', 1.5, 0)).toThrow(invalid('test/App', 'x', 1.5));
  });
  test('non-empty strings', () => {
    expect(() => checkNonEmpty(scope(), 'image', '  ')).toThrow(invalid('test/App', 'image', '  '));
    expect(checkNonEmpty(scope(), 'image', 'x')).toBe('x');
  });
  test.each(['relative/path', '/a/../b', '/a:b'])('absolute path refuses %j', (path) => {
    expect(() => checkAbsolutePath(scope(), 'mountPath', path)).toThrow(invalid('test/App', 'mountPath', path));
  });
  test('one of', () => {
    expect(checkOneOf(scope(), 'mode', 'a', ['a', 'b'])).toBe('a');
    expect(() => checkOneOf(scope(), 'mode', 'c', ['a', 'b'])).toThrow(/test\/App: invalid mode "c": must be one of "a", "b"/);
  });
});

describe('labels and annotations', () => {
  test('label keys must be qualified names and values label values', () => {
    expect(() => checkLabels(scope(), 'labels', { 'team': 'web', 'example.com/tier': 'front' })).not.toThrow();
    expect(() => checkLabels(scope(), 'labels', { 'bad key!': 'x' })).toThrow(invalid('test/App', 'labels key', 'bad key!'));
    expect(() => checkLabels(scope(), 'labels', { 'a/b/c': 'x' })).toThrow(invalid('test/App', 'labels key', 'a/b/c'));
    expect(() => checkLabels(scope(), 'labels', { team: 'has space' })).toThrow(invalid('test/App', 'labels["team"]', 'has space'));
    expect(() => checkLabels(scope(), 'labels', { team: 'x'.repeat(64) })).toThrow(invalid('test/App', 'labels["team"]', 'x'.repeat(64)));
  });
  test('annotation values may be any string but must be strings', () => {
    expect(() => checkAnnotations(scope(), 'annotations', { 'a.io/b': 'any value at all, with spaces' })).not.toThrow();
    expect(() => checkAnnotations(scope(), 'annotations', { 'a.io/b': true as unknown as string })).toThrow(invalid('test/App', 'annotations["a.io/b"]', true));
    expect(() => checkAnnotations(scope(), 'annotations', { '/b': 'x' })).toThrow(invalid('test/App', 'annotations key', '/b'));
  });
});

describe('detachOnError: a construct that throws leaves no node behind', () => {
  const target = (chart: Construct) => new WebApp(chart, 'Target', { name: 'target', image: 'app:1.0', port: 8080, replicas: 2 });
  test.each<[string, (chart: Construct) => unknown]>([
    ['WebApp', (chart) => new WebApp(chart, 'Bad', { name: 'bad', image: 'app:1.0', port: 70000 })],
    ['StatefulApp', (chart) => new StatefulApp(chart, 'Bad', { name: 'bad', image: 'db:1.0', port: 5432, replicas: -1 })],
    ['RedisStatefulSet', (chart) => new RedisStatefulSet(chart, 'Bad', { replicas: 2 })],
    ['MongoStatefulSet', (chart) => new MongoStatefulSet(chart, 'Bad', { replicas: 2 })],
    ['BatchJob', (chart) => new BatchJob(chart, 'Bad', { name: 'bad', image: 'app:1.0', backoffLimit: -1 })],
    ['ScheduledJob', (chart) => new ScheduledJob(chart, 'Bad', { name: 'bad', image: 'app:1.0', schedule: 'never' })],
    ['HpaPolicy', (chart) => new HpaPolicy(chart, 'Bad', { target: target(chart), maxReplicas: 0, cpuUtilization: 80 })],
    ['AppConfig', (chart) => new AppConfig(chart, 'Bad', { name: 'bad', data: { 'bad key': 'x' } })],
    ['WorkloadDisruptionBudget', (chart) => new WorkloadDisruptionBudget(chart, 'Bad', { target: target(chart), maxUnavailable: '00%' })],
    ['DefaultDenyIngress', (chart) => new DefaultDenyIngress(chart, 'Bad', { namespace: 'Bad' })],
    ['IngressedService', (chart) => new IngressedService(chart, 'Bad', { name: 'bad', target: target(chart), host: 'Not A Host', controller: Peer.ingressController() })],
  ])('%s', (_, create) => {
    const chart = newChart();
    expect(() => create(chart)).toThrow(/^test\/Bad(\/|:)/);
    expect(chart.node.tryFindChild('Bad')).toBeUndefined();
  });
  test('a duplicate id is refused and the construct already there stays (detachOnError)', () => {
    const chart = newChart();
    const first = new WebApp(chart, 'App', { name: 'app', image: 'app:1.0' });
    expect(() => new WebApp(chart, 'App', { name: 'other', image: 'app:1.0' })).toThrow(/There is already a Construct with name 'App'/);
    expect(chart.node.tryFindChild('App')).toBe(first);
  });
  test('the decorated class is the class: name, instanceof, subclasses', () => {
    const chart = newChart();
    const redis = new RedisStatefulSet(chart, 'Redis');
    expect(RedisStatefulSet.name).toBe('RedisStatefulSet');
    expect(redis).toBeInstanceOf(RedisStatefulSet);
    expect(redis).toBeInstanceOf(StatefulAppBase);
    expect(redis).not.toBeInstanceOf(StatefulApp);
    // The one difference: an instance's `constructor` is the class inside the proxy.
    expect(redis.constructor).not.toBe(RedisStatefulSet);
    expect(redis.constructor.name).toBe('RedisStatefulSet');
  });
});

describe('checkPinnedImage', () => {
  const digest = `@sha256:${'a'.repeat(64)}`;
  test.each([
    'registry.example.com/app:latest',
    'app:latest',
    'app',
    'registry.example.com/team/app',
    'localhost:5000/app',
    'localhost:5000/app:latest',
    'app:',
    'app@sha256:abc',
    'app:1.0@sha1:0123',
  ])('refuses %j, naming the field and the image', (image) => {
    expect(() => checkPinnedImage(scope(), 'images.backend', image)).toThrow(invalid('test/App', 'images.backend', image));
  });
  test.each([
    'Registry/App:v1!!',
    'App:1.0',
    'team/App:1.0',
    'app:v1!!',
    'app:.hidden',
    `app:${'t'.repeat(129)}`,
    'registry_example.com/app:1.0',
    'registry.example.com:port/app:1.0',
    'team//app:1.0',
    'team/app-:1.0',
    `App${digest}`,
  ])('refuses the malformed reference %j', (image) => {
    expect(() => checkPinnedImage(scope(), 'images.backend', image)).toThrow(invalid('test/App', 'images.backend', image));
  });
  test.each([
    'app:1.4.2',
    'Registry.Example.com:5000/team/app:V1_2',
    'my__app:1.0',
    'my--app.x_y:1.0',
    `app:${'t'.repeat(128)}`,
    'localhost:5000/app:1.0',
    'registry.example.com/team/app:2023-05-01',
    `app${digest}`,
    `localhost:5000/app${digest}`,
    `app:latest${digest}`,
  ])('accepts %j', (image) => {
    expect(checkPinnedImage(scope(), 'images.backend', image)).toBe(image);
  });
});

describe('quantities', () => {
  test.each([
    ['500m', 0.5], ['1', 1], ['1.5', 1.5], ['128Mi', 128 * 2 ** 20], ['1Gi', 2 ** 30], ['1k', 1000], ['1e3', 1000], [2, 2],
  ] as const)('%p parses to %p', (quantity, value) => {
    expect(parseQuantity(quantity)).toBeCloseTo(value);
  });
  test.each(['', 'abc', '1 Gi', '1GB', '1mi', 'Mi'])('%j is not a quantity', (quantity) => {
    expect(isQuantity(quantity)).toBe(false);
  });
});

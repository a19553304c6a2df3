import { ApiObject, App, Chart, JsonPatch, Lazy } from 'cdk8s';
import { EnvValue, k8s, ResourceFieldPaths } from 'cdk8s-plus-27';
import { HpaPolicy, WebApp } from '../../lib';
import { createJsonFormObject, intOrStringValue, JsonFormObject, quantityValue } from '../../lib/constructs/json-form';
import { container, find, newChart, synth } from '../helpers';
import { ComposeExampleStack } from '../../apps/compose-example/stack';
import { STAGES as COMPOSE_STAGES } from '../../apps/compose-example/stages';
import { HabrStack } from '../../apps/habr/stack';
import { STAGES } from '../../apps/habr/stages';
import { buildWebAppUnits } from '../../bench/units-webapp';
import { seededRandom } from '../seeded-random';

describe('createJsonFormObject', () => {
  it('creates a cdk8s ApiObject of the kind the L1 class names, not an instance of the L1 class', () => {
    const deployment = createJsonFormObject(k8s.KubeDeployment, newChart(), 'D', { metadata: { name: 'web' } });
    // (cdk8s answers `instanceof` of any ApiObject class with isApiObject(), so the prototypes are compared.)
    expect(Object.getPrototypeOf(deployment)).toBe(JsonFormObject.prototype);
    expect(Object.getPrototypeOf(JsonFormObject.prototype)).toBe(ApiObject.prototype);
    expect(k8s.KubeDeployment.prototype.isPrototypeOf(deployment)).toBe(false);
    expect([deployment.apiVersion, deployment.kind]).toEqual(['apps/v1', 'Deployment']);
    expect(deployment.toJson()).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } });
  });

  it('synthesizes what the stock L1 class does for the same props in L1 form', () => {
    const chart = newChart();
    const stock = new k8s.KubeDeployment(chart, 'Stock', {
      metadata: { name: 'web', labels: { app: 'web' } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        strategy: { rollingUpdate: { maxSurge: k8s.IntOrString.fromString('25%'), maxUnavailable: k8s.IntOrString.fromNumber(0) } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [{
              name: 'web',
              image: 'web:1.0',
              resources: { requests: { cpu: k8s.Quantity.fromString('250m') }, limits: { memory: k8s.Quantity.fromString('256Mi') } },
              readinessProbe: { httpGet: { path: '/', port: k8s.IntOrString.fromString('http') } },
            }],
            hostIpc: false,
            setHostnameAsFqdn: false,
          },
        },
      },
    });
    const jsonForm = createJsonFormObject(k8s.KubeDeployment, chart, 'JsonForm', {
      metadata: { name: 'web', labels: { app: 'web' } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        strategy: { rollingUpdate: { maxSurge: intOrStringValue('25%'), maxUnavailable: intOrStringValue(0) } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [{
              name: 'web',
              image: 'web:1.0',
              resources: { requests: { cpu: quantityValue('250m') }, limits: { memory: quantityValue('256Mi') } },
              readinessProbe: { httpGet: { path: '/', port: intOrStringValue('http') } },
            }],
            // JSON form: the API's field names.
            ...{ hostIPC: false, setHostnameAsFQDN: false },
          },
        },
      },
    });
    expect(JSON.stringify(jsonForm.toJson())).toBe(JSON.stringify(stock.toJson()));
  });

  it('resolves Lazy values, drops undefined fields and sorts keys, like any ApiObject', () => {
    const object = createJsonFormObject(k8s.KubeService, newChart(), 'S', {
      metadata: { name: 'web' },
      spec: { type: undefined, selector: { b: '2', a: '1' }, ports: [{ port: Lazy.any({ produce: () => 80 }) as unknown as number }] },
    });
    expect(JSON.stringify(object.toJson())).toBe(JSON.stringify({
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ port: 80 }], selector: { a: '1', b: '2' } },
    }));
  });

  it('applies JSON patches last and keeps fields the L1 types do not know (the stock L1 class drops them)', () => {
    const chart = newChart();
    const props = { metadata: { name: 'web' }, spec: { selector: {}, template: { spec: { containers: [{ name: 'web' }] } } } };
    const patches = [JsonPatch.add('/spec/template/spec/hostIPC', true), JsonPatch.add('/spec/template/spec/schedulingGates', [{ name: 'gate' }])];
    const jsonForm = createJsonFormObject(k8s.KubeDeployment, chart, 'JsonForm', props);
    const stock = new k8s.KubeDeployment(chart, 'Stock', props);
    jsonForm.addJsonPatch(...patches);
    stock.addJsonPatch(...patches);
    expect(jsonForm.toJson().spec.template.spec).toMatchObject({ hostIPC: true, schedulingGates: [{ name: 'gate' }] });
    expect(stock.toJson().spec.template.spec.hostIPC).toBeUndefined();
  });
});

describe('L1-typed input from users', () => {
  it('EnvValue sources are converted to JSON form (the resource divisor is a plain string)', () => {
    const chart = newChart();
    new WebApp(chart, 'App', { name: 'app', image: 'app:1.0', env: { MEMORY_MI: EnvValue.fromResource(ResourceFieldPaths.MEMORY_LIMIT, { divisor: '1Mi' }) } });
    const deployment = find(synth(chart), 'Deployment', 'app-deployment');
    expect(container(deployment).env).toEqual([{ name: 'MEMORY_MI', valueFrom: { resourceFieldRef: { divisor: '1Mi', resource: 'limits.memory' } } }]);
  });

  it('an HPA behavior in L1 form is converted as the stock L1 class would (fields it does not know are dropped, as before)', () => {
    const chart = newChart();
    const web = new WebApp(chart, 'App', { name: 'app', image: 'app:1.0', port: 8080 });
    new HpaPolicy(chart, 'Hpa', {
      target: web,
      maxReplicas: 5,
      cpuUtilization: 70,
      behavior: { scaleDown: { stabilizationWindowSeconds: 60, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }], tolerance: '0.1' } as k8s.HpaScalingRulesV2 },
    });
    expect(find(synth(chart), 'HorizontalPodAutoscaler', 'app-hpa').spec.behavior).toEqual({
      scaleDown: { policies: [{ periodSeconds: 60, type: 'Pods', value: 1 }], stabilizationWindowSeconds: 60 },
    });
  });
});

describe('convertWhenSynthesized', () => {
  /** The behavior as our HpaPolicy synthesizes it, and as a stock L1 HPA with the same behavior does. */
  function hpaBehavior(behavior: k8s.HorizontalPodAutoscalerBehaviorV2) {
    const chart = newChart();
    const web = new WebApp(chart, 'App', { name: 'app', image: 'app:1.0', port: 8080 });
    new HpaPolicy(chart, 'Hpa', { target: web, maxReplicas: 5, cpuUtilization: 70, behavior });
    const stock = new k8s.KubeHorizontalPodAutoscalerV2(chart, 'Stock', {
      metadata: { name: 'stock' },
      spec: { scaleTargetRef: { kind: 'Deployment', name: 'app-deployment' }, maxReplicas: 5, behavior },
    });
    return { ours: find(synth(chart), 'HorizontalPodAutoscaler', 'app-hpa').spec.behavior, stock: stock.toJson().spec.behavior };
  }
  const scaleDown = { stabilizationWindowSeconds: 60, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] };

  it('resolves a Lazy that stands for the whole input before converting it', () => {
    const { ours, stock } = hpaBehavior(Lazy.any({ produce: () => ({ scaleDown }) }));
    expect(ours).toEqual({ scaleDown: { policies: [{ periodSeconds: 60, type: 'Pods', value: 1 }], stabilizationWindowSeconds: 60 } });
    expect(JSON.stringify(ours)).toBe(JSON.stringify(stock));
  });

  it('resolves a Lazy list inside the input and drops nulls, as the stock conversion does', () => {
    const policies = Lazy.any({ produce: () => [...scaleDown.policies, null] });
    const { ours, stock } = hpaBehavior({ scaleDown: { ...scaleDown, policies, selectPolicy: null as unknown as string } });
    expect(ours.scaleDown.policies).toHaveLength(2);
    expect(ours.scaleDown).not.toHaveProperty('selectPolicy');
    expect(ours).toEqual(stock);
    expect(JSON.stringify(ours)).toBe(JSON.stringify(stock));
  });

  it('gives custom resolvers the usual key', () => {
    const keys: string[] = [];
    const app = new App({ resolvers: [{ resolve: (context) => { if (context.key[1] === 'behavior') keys.push(context.key.join('.')); } }] });
    const chart = new Chart(app, 'test');
    const web = new WebApp(chart, 'App', { name: 'app', image: 'app:1.0', port: 8080 });
    new HpaPolicy(chart, 'Hpa', { target: web, maxReplicas: 5, cpuUtilization: 70, behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } });
    chart.toJson();
    expect(keys).toEqual(expect.arrayContaining(['spec.behavior', 'spec.behavior.scaleDown', 'spec.behavior.scaleDown.stabilizationWindowSeconds']));
  });
});

describe('toJson of JSON-form objects (one walk instead of cdk8s resolve + sanitize)', () => {
  /** Every ApiObject of the app: what its toJson() gives, and what the stock ApiObject.toJson() gives. */
  function bothPaths(app: App): Array<{ path: string; ours: string; stock: string }> {
    return app.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject).map((object) => ({
      path: object.node.path,
      ours: JSON.stringify(object.toJson()),
      stock: JSON.stringify(ApiObject.prototype.toJson.call(object)),
    }));
  }

  it.each(Object.keys(STAGES))('gives exactly the stock output for every object of the habr %s stage', (stage) => {
    const app = new App();
    new HabrStack(app, STAGES[stage as keyof typeof STAGES]);
    const objects = bothPaths(app);
    expect(objects.length).toBeGreaterThan(10);
    for (const { path, ours, stock } of objects) expect({ path, json: ours }).toEqual({ path, json: stock });
  });

  it('gives exactly the stock output for the compose example and the benchmark units', () => {
    const app = new App();
    new ComposeExampleStack(app, COMPOSE_STAGES.dev);
    buildWebAppUnits(app, 3, 2);
    for (const { path, ours, stock } of bothPaths(app)) expect({ path, json: ours }).toEqual({ path, json: stock });
  });

  it('merges chart labels and namespace into metadata, resolves tokens anywhere, drops nulls in objects and keeps them as undefined in lists', () => {
    const app = new App();
    const chart = new Chart(app, 'c', { namespace: 'shop', labels: { team: 'a' } });
    const object = createJsonFormObject(k8s.KubeConfigMap, chart, 'M', {
      metadata: { name: 'm', annotations: { note: Lazy.any({ produce: () => 'later' }) as unknown as string } },
      data: { z: 'last', a: null as unknown as string, m: Lazy.any({ produce: () => undefined }) as unknown as string },
      binaryData: { resolve: () => ({ b: 'Yg==' }) } as unknown as Record<string, string>,
      immutable: Lazy.any({ produce: () => Lazy.any({ produce: () => true }) }) as unknown as boolean,
      ...{ list: [1, null, undefined, { y: 1, x: undefined }], union: k8s.IntOrString.fromNumber(3) },
    });
    object.metadata.addFinalizers('example.com/keep');
    object.metadata.add('generateName', 'm-');
    object.metadata.add('extra', { empty: {}, list: [], nested: { inner: [] } });
    object.metadata.addOwnerReference({ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: '1' });
    expect(JSON.stringify(object.toJson())).toBe(JSON.stringify(ApiObject.prototype.toJson.call(object)));
    expect(object.toJson().metadata).not.toHaveProperty('extra');
    expect(object.toJson().metadata.finalizers).toEqual(['example.com/keep']);
    expect({ ...object.toJson(), metadata: { ...object.toJson().metadata, finalizers: undefined, generateName: undefined, ownerReferences: undefined } }).toEqual({
      apiVersion: 'v1', kind: 'ConfigMap',
      metadata: { annotations: { note: 'later' }, labels: { team: 'a' }, name: 'm', namespace: 'shop' },
      binaryData: { b: 'Yg==' }, data: { z: 'last' }, immutable: true, list: [1, undefined, undefined, { y: 1 }], union: { value: 3 },
    });
  });

  it.each([3, 24, 25, 200])('sorts the keys of a %i-key mapping exactly as the stock path does (integer-like, upper-case, non-ASCII keys)', (size) => {
    const app = new App();
    const chart = new Chart(app, 'c');
    const random = seededRandom(size);
    const keys = Array.from({ length: size }, (_, i) => ['10', '9', '0', 'B', 'a', '_x', 'é', 'Z-1', 'a.b', 'a-b'][i % 10] + (i >= 10 ? String(i) : ''));
    const shuffled = [...keys];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
    }
    const data = Object.fromEntries(shuffled.map((key) => [key, key]));
    const object = createJsonFormObject(k8s.KubeConfigMap, chart, 'M', { metadata: { name: 'm' }, data });
    const json = object.toJson();
    // An object lists integer-like keys first whatever their insertion order; the other keys keep the order they were sorted in.
    const isIndex = (key: string) => /^(0|[1-9][0-9]*)$/.test(key);
    expect(Object.keys(json.data).filter((key) => !isIndex(key))).toEqual(keys.filter((key) => !isIndex(key)).sort());
    expect(JSON.stringify(json)).toBe(JSON.stringify(ApiObject.prototype.toJson.call(object)));
  });

  it('leaves what it does not know to the stock path: custom resolvers, CDK8S_DISABLE_SORT, values that are not plain', () => {
    const custom = new App({ resolvers: [{ resolve: (context) => { if (context.value === 'x') context.replaceValue('y'); } }] });
    const withResolver = createJsonFormObject(k8s.KubeConfigMap, new Chart(custom, 'c'), 'M', { metadata: { name: 'm' }, data: { a: 'x' } });
    expect(withResolver.toJson().data).toEqual({ a: 'y' });

    const object = createJsonFormObject(k8s.KubeConfigMap, newChart(), 'M', { metadata: { name: 'm' }, data: { b: '2', a: '1' } });
    process.env.CDK8S_DISABLE_SORT = '1';
    try {
      expect(Object.keys(object.toJson().data)).toEqual(['b', 'a']);
    } finally {
      delete process.env.CDK8S_DISABLE_SORT;
    }
    expect(Object.keys(object.toJson().data)).toEqual(['a', 'b']);

    class Odd { public readonly field = 1; }
    const odd = createJsonFormObject(k8s.KubeConfigMap, newChart(), 'Odd', { metadata: { name: 'odd' }, data: { a: new Odd() as unknown as string } });
    expect(() => odd.toJson()).toThrow(/Failed serializing construct at path '.*Odd' with name 'odd': Error: can't render non-simple object of type 'Odd'/);
  });
});

import { ApiObject, App, Chart, JsonPatch, Lazy } from 'cdk8s';
import { EnvValue, k8s, ResourceFieldPaths } from 'cdk8s-plus-27';
import { HpaPolicy, WebApp } from '../../lib';
import { createJsonFormObject, intOrStringValue, quantityValue } from '../../lib/json-form';
import { container, find, newChart, synth } from '../helpers';

describe('createJsonFormObject', () => {
  it('creates an object of the L1 class, under the same class name', () => {
    const deployment = createJsonFormObject(k8s.KubeDeployment, newChart(), 'D', { metadata: { name: 'web' } });
    expect(deployment).toBeInstanceOf(k8s.KubeDeployment);
    expect(deployment).toBeInstanceOf(ApiObject);
    expect(deployment.constructor.name).toBe('KubeDeployment');
    expect(deployment.kind).toBe('Deployment');
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

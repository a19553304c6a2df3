import { buildIndex, IndexedPodTemplate, ObjectIndex } from '../../lib/validation/rule';
import {
  AddressPeer, NetworkPolicyEvaluator, networkPolicyEvaluator, podOf, someAddressOutside, somePodOfNamespace, somePodOutside,
} from '../../lib/validation/network-policy-eval';
import { KubeObject } from '../../lib/manifest/types';
import { container, deployment, networkPolicy, sourced } from './helpers';

const policy = networkPolicy;

function namespace(name: string, labels: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

const web = () => deployment({ name: 'web', labels: { app: 'web' } });
const api = (options: { namespace?: string; ports?: { containerPort: number; name?: string; protocol?: string }[]; hostNetwork?: boolean } = {}) => deployment({
  name: 'api', labels: { app: 'api' }, namespace: options.namespace,
  containers: [container({ ports: options.ports ?? [{ containerPort: 8080, name: 'http' }, { containerPort: 9090, name: 'metrics' }] })],
  podSpec: options.hostNetwork ? { hostNetwork: true } : {},
});

interface World {
  readonly index: ObjectIndex;
  readonly evaluator: NetworkPolicyEvaluator;
  pod(name: string, namespace?: string): IndexedPodTemplate;
}

function world(...objects: KubeObject[]): World {
  const index = buildIndex(sourced(...objects));
  return {
    index,
    evaluator: new NetworkPolicyEvaluator(index),
    pod: (name, ns = 'default') => index.podTemplates.find((t) => t.owner.name === name && t.namespace === ns)!,
  };
}

/** web → api on `port`: the verdict of each side and of the connection. */
function webToApi(w: World, port = 8080, protocol?: string) {
  const verdict = w.evaluator.connection({ from: podOf(w.pod('web')), to: podOf(w.pod('api')), port, protocol });
  return [verdict.allowed, verdict.egress.allowed, verdict.ingress.allowed];
}

const DENY_INGRESS = policy('deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] });
const DENY_EGRESS = policy('deny-egress', { podSelector: {}, policyTypes: ['Egress'] });
const API = { matchLabels: { app: 'api' } };
const WEB = { matchLabels: { app: 'web' } };

describe('NetworkPolicyEvaluator: isolation', () => {
  it('allows everything when no policy selects the pods', () => {
    const w = world(web(), api(), policy('other', { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress', 'Egress'] }));
    const verdict = w.evaluator.connection({ from: podOf(w.pod('web')), to: podOf(w.pod('api')), port: 8080 });
    expect(verdict).toEqual({ allowed: 'yes', egress: { allowed: 'yes', policies: [] }, ingress: { allowed: 'yes', policies: [] } });
  });

  it('denies what a default-deny of one direction isolates, and names the policy', () => {
    const w = world(web(), api(), DENY_INGRESS);
    const verdict = w.evaluator.connection({ from: podOf(w.pod('web')), to: podOf(w.pod('api')), port: 8080 });
    expect([verdict.allowed, verdict.egress.allowed, verdict.ingress.allowed]).toEqual(['no', 'yes', 'no']);
    expect(verdict.ingress.policies.map((p) => p.label)).toEqual(['NetworkPolicy default/deny-ingress']);
    expect(webToApi(world(web(), api(), DENY_EGRESS))).toEqual(['no', 'no', 'yes']);
  });

  it('unions the rules of every policy that selects the pod', () => {
    const allowWeb = policy('allow-web', { podSelector: API, ingress: [{ from: [{ podSelector: WEB }] }] });
    expect(webToApi(world(web(), api(), DENY_INGRESS, allowWeb))).toEqual(['yes', 'yes', 'yes']);
    const other = deployment({ name: 'other', labels: { app: 'other' } });
    const w = world(web(), api(), other, DENY_INGRESS, allowWeb);
    expect(w.evaluator.ingress({ from: podOf(w.pod('other')), to: podOf(w.pod('api')), port: 8080 }).allowed).toBe('no');
  });

  it('needs both the egress of the source and the ingress of the destination', () => {
    const webOut = policy('web-out', { podSelector: WEB, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: API }] }] });
    const apiIn = policy('api-in', { podSelector: API, ingress: [{ from: [{ podSelector: WEB }] }] });
    expect(webToApi(world(web(), api(), DENY_INGRESS, DENY_EGRESS, webOut))).toEqual(['no', 'yes', 'no']);
    expect(webToApi(world(web(), api(), DENY_INGRESS, DENY_EGRESS, apiIn))).toEqual(['no', 'no', 'yes']);
    expect(webToApi(world(web(), api(), DENY_INGRESS, DENY_EGRESS, webOut, apiIn))).toEqual(['yes', 'yes', 'yes']);
  });

  it('defaults policyTypes as the API server does: Ingress, plus Egress only with egress rules', () => {
    // No policyTypes and no ingress: the pod admits nothing; egress stays open.
    expect(webToApi(world(web(), api(), policy('p', { podSelector: {} })))).toEqual(['no', 'yes', 'no']);
    // `egress: []` is no egress section: egress stays open.
    expect(webToApi(world(web(), api(), policy('p', { podSelector: WEB, egress: [] })))).toEqual(['yes', 'yes', 'yes']);
    // An egress rule makes it an Egress policy too.
    expect(webToApi(world(web(), api(), policy('p', { podSelector: WEB, egress: [{ to: [{ podSelector: WEB }] }] })))).toEqual(['no', 'no', 'yes']);
    // policyTypes [Egress] with no rules denies all egress and leaves ingress alone.
    expect(webToApi(world(web(), api(), policy('p', { podSelector: {}, policyTypes: ['Egress'], ingress: [] })))).toEqual(['no', 'no', 'yes']);
  });

  it('admits every peer and port with an empty rule, and nothing with no rules', () => {
    expect(webToApi(world(web(), api(), policy('p', { podSelector: API, ingress: [{}] })))).toEqual(['yes', 'yes', 'yes']);
    expect(webToApi(world(web(), api(), policy('p', { podSelector: API, ingress: [] })))).toEqual(['no', 'yes', 'no']);
  });

  it('selects pods with matchExpressions', () => {
    const select = (matchExpressions: unknown[]) => webToApi(world(web(), api(), policy('p', { podSelector: { matchExpressions }, policyTypes: ['Ingress'] })))[2];
    expect(select([{ key: 'app', operator: 'In', values: ['api', 'db'] }])).toBe('no');
    expect(select([{ key: 'app', operator: 'NotIn', values: ['api'] }])).toBe('yes');
    expect(select([{ key: 'app', operator: 'Exists' }])).toBe('no');
    expect(select([{ key: 'tier', operator: 'DoesNotExist' }])).toBe('no');
    expect(select([{ key: 'tier', operator: 'Exists' }])).toBe('yes');
    // An operator the API server refuses: the policy does not exist, so it isolates nothing.
    expect(select([{ key: 'app', operator: 'Equals', values: ['api'] }])).toBe('yes');
  });

  it('leaves host-network pods undecided: policies do not apply to them', () => {
    const w = world(web(), api({ hostNetwork: true }), DENY_INGRESS);
    expect(w.evaluator.ingress({ from: podOf(w.pod('web')), to: podOf(w.pod('api')), port: 8080 })).toEqual({ allowed: 'maybe', policies: [] });
    // As a source, its traffic carries the node's address: a pod selector may not be what admits it.
    const fromHost = world(web(), api({ hostNetwork: true }), policy('p', { podSelector: WEB, ingress: [{ from: [{ podSelector: API }] }] }));
    expect(fromHost.evaluator.ingress({ from: podOf(fromHost.pod('api')), to: podOf(fromHost.pod('web')), port: 8080 }).allowed).toBe('maybe');
  });
});

describe('NetworkPolicyEvaluator: ports', () => {
  const onPorts = (ports: unknown[], port = 8080, protocol?: string, apiOptions = {}) =>
    webToApi(world(web(), api(apiOptions), policy('p', { podSelector: API, ingress: [{ ports }] })), port, protocol)[2];

  it('matches a number, a range up to endPort, and any port when the entry has none', () => {
    expect(onPorts([{ port: 8080 }])).toBe('yes');
    expect(onPorts([{ port: 8081 }])).toBe('no');
    expect(onPorts([{ port: 8000, endPort: 8080 }])).toBe('yes');
    expect(onPorts([{ port: 8000, endPort: 8079 }])).toBe('no');
    expect(onPorts([{ protocol: 'TCP' }], 12345)).toBe('yes');
    expect(onPorts([{ port: 9090 }, { port: 8080 }])).toBe('yes');
  });

  it('defaults the protocol to TCP and matches it', () => {
    expect(onPorts([{ port: 8080 }], 8080, 'UDP')).toBe('no');
    expect(onPorts([{ port: 8080, protocol: 'UDP' }], 8080, 'UDP')).toBe('yes');
    expect(onPorts([{ protocol: 'UDP' }], 8080)).toBe('no');
  });

  it('resolves a named port on the destination pod, with its protocol', () => {
    expect(onPorts([{ port: 'http' }])).toBe('yes');
    expect(onPorts([{ port: 'metrics' }])).toBe('no');
    expect(onPorts([{ port: 'grpc' }])).toBe('no');
    expect(onPorts([{ port: 'dns', protocol: 'UDP' }], 5353, 'UDP', { ports: [{ containerPort: 5353, name: 'dns', protocol: 'UDP' }] })).toBe('yes');
    expect(onPorts([{ port: 'dns' }], 5353, 'TCP', { ports: [{ containerPort: 5353, name: 'dns', protocol: 'UDP' }] })).toBe('no');
  });

  it('resolves a named port of an egress rule on the destination too', () => {
    const out = (port: string) => webToApi(world(web(), api(), policy('p', { podSelector: WEB, policyTypes: ['Egress'], egress: [{ ports: [{ port }] }] })))[1];
    expect(out('http')).toBe('yes');
    expect(out('metrics')).toBe('no');
  });

  it('cannot resolve a named port on a pod whose containers it does not know', () => {
    const w = world(web(), policy('p', { podSelector: WEB, policyTypes: ['Egress'], egress: [{ ports: [{ port: 'http' }] }] }));
    expect(w.evaluator.egress({ from: podOf(w.pod('web')), to: somePodOfNamespace('other'), port: 80 }).allowed).toBe('maybe');
  });
});

describe('NetworkPolicyEvaluator: peers', () => {
  const apiAdmits = (from: unknown[], ...more: KubeObject[]) => world(web(), api(), ...more, policy('p', { podSelector: API, ingress: [{ from }] }));

  it('reads a podSelector alone as pods of the policy\'s namespace', () => {
    const w = world(web(), deployment({ name: 'web', labels: { app: 'web' }, namespace: 'other' }), api(), policy('p', { podSelector: API, ingress: [{ from: [{ podSelector: WEB }] }] }));
    expect(w.evaluator.ingress({ from: podOf(w.pod('web')), to: podOf(w.pod('api')), port: 8080 }).allowed).toBe('yes');
    expect(w.evaluator.ingress({ from: podOf(w.pod('web', 'other')), to: podOf(w.pod('api')), port: 8080 }).allowed).toBe('no');
  });

  it('matches a namespaceSelector on the name label of any namespace, and on the labels of a namespace the set creates', () => {
    const byName = apiAdmits([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'default' } } }]);
    expect(webToApi(byName)[2]).toBe('yes');
    const otherName = apiAdmits([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } }]);
    expect(webToApi(otherName)[2]).toBe('no');
    const byLabel = [{ namespaceSelector: { matchLabels: { team: 'a' } } }];
    expect(webToApi(apiAdmits(byLabel, namespace('default', { team: 'a' })))[2]).toBe('yes');
    expect(webToApi(apiAdmits(byLabel, namespace('default', { team: 'b' })))[2]).toBe('no');
    // The set does not create `default`: its labels other than the name are unknown.
    expect(webToApi(apiAdmits(byLabel))[2]).toBe('maybe');
  });

  it('reads an empty namespaceSelector as every namespace, and ANDs it with a podSelector', () => {
    expect(webToApi(apiAdmits([{ namespaceSelector: {} }]))[2]).toBe('yes');
    expect(webToApi(apiAdmits([{ namespaceSelector: {}, podSelector: WEB }]))[2]).toBe('yes');
    expect(webToApi(apiAdmits([{ namespaceSelector: {}, podSelector: API }]))[2]).toBe('no');
  });

  it('matches an ipBlock against addresses, with its excepts; a pod\'s IP is unknown', () => {
    const w = apiAdmits([{ ipBlock: { cidr: '203.0.113.0/24', except: ['203.0.113.128/25'] } }]);
    const from = (ip: string): AddressPeer => ({ kind: 'address', ip });
    const verdict = (ip: string) => w.evaluator.ingress({ from: from(ip), to: podOf(w.pod('api')), port: 8080 }).allowed;
    expect([verdict('203.0.113.5'), verdict('203.0.113.200'), verdict('198.51.100.1')]).toEqual(['yes', 'no', 'no']);
    expect(webToApi(w)[2]).toBe('maybe');
    // Selectors never match an address.
    expect(apiAdmits([{ namespaceSelector: {} }]).evaluator.ingress({ from: from('203.0.113.5'), to: podOf(w.pod('api')), port: 8080 }).allowed).toBe('no');
  });

  it('answers for some unknown address outside the cluster: yes for every address, maybe for a narrower block, no for selectors alone', () => {
    const verdict = (from: unknown[], ports?: unknown[]) => {
      const w = world(api(), policy('api', { podSelector: API, ingress: [{ from, ...(ports ? { ports } : {}) }] }));
      return w.evaluator.ingress({ from: someAddressOutside(), to: podOf(w.pod('api')), port: 8080 }).allowed;
    };
    expect(verdict([{ ipBlock: { cidr: '0.0.0.0/0' } }])).toBe('yes');
    expect(verdict([{ ipBlock: { cidr: '::/0' } }])).toBe('yes');
    expect(verdict([{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }])).toBe('maybe');
    expect(verdict([{ ipBlock: { cidr: '10.0.0.0/8' } }])).toBe('maybe');
    expect(verdict([{ ipBlock: { cidr: 'not-a-cidr' } }])).toBe('no');
    expect(verdict([{ ipBlock: { cidr: '0.0.0.0/0' } }], [{ port: 9090 }])).toBe('no');
    expect(verdict([{ namespaceSelector: {} }, { podSelector: {} }])).toBe('no');
  });

  it('answers for a pod of an unknown namespace other than one: an ingress controller installed elsewhere', () => {
    const controller = somePodOutside('default');
    const verdict = (from: unknown[]) => {
      const w = apiAdmits(from);
      return w.evaluator.ingress({ from: controller, to: podOf(w.pod('api')), port: 8080 }).allowed;
    };
    expect(verdict([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }])).toBe('maybe');
    expect(verdict([{ namespaceSelector: {} }])).toBe('yes');
    expect(verdict([{ namespaceSelector: {}, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } } }])).toBe('maybe');
    expect(verdict([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'default' } } }])).toBe('no');
    expect(verdict([{ namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['default'] }] } }])).toBe('no');
    expect(verdict([{ podSelector: {} }])).toBe('no');
    expect(verdict([{ podSelector: WEB }])).toBe('no');
  });

  it('answers for some pod of a known namespace whose labels are unknown: a Gateway\'s data plane', () => {
    const dataPlane = somePodOfNamespace('gateway-system');
    const verdict = (from: unknown[]) => {
      const w = apiAdmits(from);
      return w.evaluator.ingress({ from: dataPlane, to: podOf(w.pod('api')), port: 8080 }).allowed;
    };
    const gatewaySystem = { matchLabels: { 'kubernetes.io/metadata.name': 'gateway-system' } };
    expect(verdict([{ namespaceSelector: gatewaySystem }])).toBe('yes');
    expect(verdict([{ namespaceSelector: gatewaySystem, podSelector: { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'public' } } }])).toBe('maybe');
    expect(verdict([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'envoy-gateway-system' } } }])).toBe('no');
    expect(verdict([{ podSelector: {} }])).toBe('no');
  });

  it('judges the egress of pods of an unknown namespace by the policies that may select them', () => {
    const w = world(api(), policy('deny', { podSelector: {}, policyTypes: ['Egress'] }, 'gateway-system'));
    expect(w.evaluator.egress({ from: somePodOfNamespace('gateway-system'), to: podOf(w.pod('api')), port: 8080 }).allowed).toBe('no');
    expect(w.evaluator.egress({ from: somePodOutside('default'), to: podOf(w.pod('api')), port: 8080 }).allowed).toBe('maybe');
    expect(w.evaluator.egress({ from: somePodOutside('gateway-system'), to: podOf(w.pod('api')), port: 8080 }).allowed).toBe('yes');
  });
});

test('networkPolicyEvaluator keeps one evaluator per index', () => {
  const index = buildIndex(sourced(web()));
  expect(networkPolicyEvaluator(index)).toBe(networkPolicyEvaluator(index));
  expect(networkPolicyEvaluator(buildIndex(sourced(web())))).not.toBe(networkPolicyEvaluator(index));
});

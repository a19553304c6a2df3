/**
 * Rule `env-reachability`: a container whose environment names a Service of the app as a host
 * can connect to it, by the NetworkPolicies of both ends.
 *
 * Values read: `env[].value` (with `$(VAR)` references to earlier variables expanded, as the
 * kubelet does), and ConfigMap values of the set (`valueFrom.configMapKeyRef`, `envFrom[].configMapRef`);
 * Secrets are not read. A host is `name`, `name.namespace`, `name.namespace.svc[.<cluster domain>]`,
 * or a StatefulSet pod's `pod.name[.namespace…]` of a headless Service, alone, with `:port`, in a
 * list (`a:9092,b:9092`) or as the authority of a URL (`mongodb://user:pw@mongo:27017/x`,
 * `jdbc:postgresql://db/x`). A bare name (no port, no dot, no URL) counts only in a variable whose
 * name says it holds an address (HOST, ADDR, SERVER, URL, URI, ENDPOINT, BROKER, DSN): `CACHE_DRIVER=redis`
 * names a driver, not a host. Names that are not Services of the set, ExternalName Services,
 * Services without selector and a container's own Service are left alone.
 *
 * The port is the Service port given (for a headless Service, the pod's port itself, when the Service or
 * the pods name it); a port the Service does not have is left alone (no connection to judge); without one,
 * the connection is denied only when every port of the Service is.
 */
import { asArray, asRecord, asString, Json } from '../../manifest/objects';
import { finding, IndexedObject, IndexedPodTemplate, ObjectIndex, Rule, findingsOf, ContainerRef } from '../rule';
import { Finding } from '../../manifest/types';
import { findServicePort, targetContainerPort, templateDeclaresPort } from '../ports';
import { describeDenial, NetworkPolicyEvaluator, networkPolicyEvaluator, podOf } from '../network-policy-eval';

/** One environment variable of a container, with where its value comes from. */
interface EnvValue {
  readonly name: string;
  readonly value: string;
  /** Path of the entry that sets it. */
  readonly path: string;
  /** `ConfigMap shop/config key DB_HOST`, for a value read from a ConfigMap. */
  readonly origin?: string;
}

/** A host and port named in a value. */
export interface NamedHost {
  readonly host: string;
  readonly port: number | undefined;
}

const ADDRESS_VARIABLE = /HOST|ADDR|SERVER|URL|URI|ENDPOINT|BROKER|DSN/i;
const URL_AUTHORITY = /[a-z][a-z0-9+.-]*:\/\/([^/?#\s"'<>]+)/gi;
const NAME_LIST = /^\s*[-a-z0-9.]+(?:\s*,\s*[-a-z0-9.]+)*\s*$/i;
const HOST_AND_PORT = /^([a-z0-9](?:[-a-z0-9.]*[a-z0-9])?)\.?(?::(\d{1,5}))?$/i;

function hostOf(text: string, bare: boolean): NamedHost[] {
  const match = HOST_AND_PORT.exec(text);
  if (!match) return [];
  const port = match[2] === undefined ? undefined : Number(match[2]);
  if (port === undefined && !bare && !match[1].includes('.')) return [];
  return [{ host: match[1].toLowerCase(), port }];
}

/**
 * The hosts a value names: the authorities of its URLs, or else its `host[:port]` words (`tcp(db:3306)`
 * in a Go MySQL DSN too). `bare` lets a name without port or dot count, in a value that is one name or a comma-separated
 * list of them (and the variable's name says it holds an address).
 */
export function hostsIn(value: string, bare: boolean): NamedHost[] {
  const authorities = [...value.matchAll(URL_AUTHORITY)].map((match) => match[1]);
  if (authorities.length) {
    return authorities.flatMap((authority) => authority.slice(authority.lastIndexOf('@') + 1).split(',').flatMap((part) => hostOf(part, true)));
  }
  // A lone name counts only in a value that is nothing but names (`db`, `a, b`), not in a sentence or a path.
  const onlyNames = bare && NAME_LIST.test(value);
  return value.split(/[\s,;()@/]+/).filter(Boolean).flatMap((word) => hostOf(word, onlyNames));
}

/** `$(VAR)` references expanded from `known`; `$$(VAR)` stays literal, an unknown reference as written (as the kubelet). */
function expand(value: string, known: ReadonlyMap<string, string>): string {
  return value.replace(/\$\$|\$\(([^)]*)\)/g, (whole, name: string | undefined) => {
    if (whole === '$$') return '$';
    return name !== undefined && known.has(name) ? known.get(name)! : whole;
  });
}

function configMapData(index: ObjectIndex, namespace: string, name: unknown): Json | undefined {
  const config = typeof name === 'string' ? index.find('ConfigMap', namespace, name) : undefined;
  return config ? asRecord(config.object.data) : undefined;
}

/** The variables of a container in the kubelet's order: envFrom sources, then env (which can refer to them). */
function envValues(index: ObjectIndex, template: IndexedPodTemplate, ref: ContainerRef): EnvValue[] {
  const values: EnvValue[] = [];
  const known = new Map<string, string>();
  const add = (entry: EnvValue) => {
    values.push(entry);
    known.set(entry.name, entry.value);
  };
  asArray(ref.container.envFrom).forEach((raw, i) => {
    const source = asRecord(raw) ?? {};
    const configMap = asRecord(source.configMapRef);
    const data = configMap && configMapData(index, template.namespace, configMap.name);
    const prefix = asString(source.prefix) ?? '';
    for (const [key, value] of Object.entries(data ?? {})) {
      if (typeof value !== 'string') continue;
      add({ name: `${prefix}${key}`, value, path: `${ref.path}.envFrom[${i}].configMapRef`, origin: `ConfigMap ${String(configMap!.name)} key ${key}` });
    }
  });
  asArray(ref.container.env).forEach((raw, i) => {
    const entry = asRecord(raw) ?? {};
    const name = asString(entry.name);
    if (name === undefined) return;
    if (typeof entry.value === 'string') {
      add({ name, value: expand(entry.value, known), path: `${ref.path}.env[${i}].value` });
      return;
    }
    const keyRef = asRecord(asRecord(entry.valueFrom)?.configMapKeyRef);
    const key = asString(keyRef?.key);
    const value = key === undefined ? undefined : configMapData(index, template.namespace, keyRef!.name)?.[key];
    if (typeof value === 'string') {
      add({ name, value, path: `${ref.path}.env[${i}].valueFrom.configMapKeyRef`, origin: `ConfigMap ${String(keyRef!.name)} key ${key}` });
    }
  });
  return values;
}

function isHeadless(service: IndexedObject): boolean {
  return asRecord(service.object.spec)?.clusterIP === 'None';
}

/** Whether the labels after a Service's namespace are cluster DNS: nothing, or `svc` and the cluster domain. */
function isClusterSuffix(labels: readonly string[]): boolean {
  return labels.length === 0 || labels[0] === 'svc';
}

/** The Service of the set a host names from a pod of `namespace`, as the cluster DNS and the pod's search path resolve it. */
export function serviceNamed(index: ObjectIndex, host: string, namespace: string): IndexedObject | undefined {
  const labels = host.split('.');
  if (labels.length === 1) return index.find('Service', namespace, labels[0]);
  // name.namespace[.svc[.cluster.local]]
  const service = index.find('Service', labels[1], labels[0]);
  if (service && isClusterSuffix(labels.slice(2))) return service;
  // pod.name[.namespace[.svc…]]: a pod of a headless Service
  const podService = index.find('Service', labels[2] ?? namespace, labels[1]);
  if (podService && isHeadless(podService) && isClusterSuffix(labels.slice(3))) return podService;
  return undefined;
}

/** The container ports a connection to `service` on `port` (a Service port; any, when absent) reaches on `template`'s pods. */
function portsReached(service: IndexedObject, destination: IndexedPodTemplate, port: number | undefined): { port: number; protocol: string }[] {
  const servicePorts = asArray(asRecord(service.object.spec)?.ports).map((raw) => asRecord(raw) ?? {});
  if (port === undefined) return servicePorts.flatMap((servicePort) => targetContainerPort(destination, servicePort) ?? []);
  // A headless Service's name resolves to the pods themselves: the port is theirs, if they or the Service name it
  // (`REDIS_IMAGE=redis:7` is an image tag, not port 7).
  if (isHeadless(service)) return findServicePort(service, port) || templateDeclaresPort(destination, port) ? [{ port, protocol: 'TCP' }] : [];
  const servicePort = findServicePort(service, port);
  const target = servicePort && targetContainerPort(destination, servicePort);
  return target ? [target] : [];
}

/** The name a construct gives its pods (`app.kubernetes.io/name`), else the workload's name. */
function constructName(template: IndexedPodTemplate): string {
  const name = template.labels['app.kubernetes.io/name'];
  return typeof name === 'string' ? name : template.owner.name;
}

function checkValue(index: ObjectIndex, evaluator: NetworkPolicyEvaluator, source: IndexedPodTemplate, container: ContainerRef, env: EnvValue): Finding[] {
  const findings: Finding[] = [];
  const reported = new Set<string>();
  for (const { host, port } of hostsIn(env.value, ADDRESS_VARIABLE.test(env.name))) {
    const service = serviceNamed(index, host, source.namespace);
    if (!service || asRecord(service.object.spec)?.type === 'ExternalName') continue;
    for (const destination of index.podTemplatesSelectedBy(service) ?? []) {
      const key = `${service.label}\u0000${destination.owner.label}\u0000${port}`;
      if (destination === source || reported.has(key)) continue;
      const reached = portsReached(service, destination, port);
      if (reached.length === 0) continue;
      const verdicts = reached.map((target) => ({ ...target, verdict: evaluator.connection({ from: podOf(source), to: podOf(destination), ...target }) }));
      // Without a port, one port the policies allow is enough.
      if (verdicts.some(({ verdict }) => verdict.allowed !== 'no')) continue;
      reported.add(key);
      const [first] = verdicts;
      const from = `${source.owner.kind} ${source.owner.name}'s pods`;
      const to = `${destination.owner.kind} ${destination.owner.name}'s pods`;
      const containerName = String(container.container.name);
      const client = constructName(source);
      const server = constructName(destination);
      const ports = port === undefined ? `no port, so any of its ports (container ports ${reached.map((target) => `${target.port}/${target.protocol}`).join(', ')})` : `port ${port} (container port ${first.port}/${first.protocol})`;
      findings.push(finding(envReachability, source.owner, env.path,
        `env ${env.name} of container ${containerName}${env.origin ? ` (from ${env.origin})` : ''} names host ${host}, Service ${service.namespace}/${service.name} with ${ports}, `
        + `but ${describeDenial(first.verdict, from, to, first.port, first.protocol)}; the API server accepts it, but container ${containerName} cannot connect to ${host}. `
        + `Declare the edge: ${client}.connections.allowTo(${server}) (or ${server}.connections.allowFrom(${client})), or add the rules to those policies.`));
    }
  }
  return findings;
}

function checkTemplate(index: ObjectIndex, evaluator: NetworkPolicyEvaluator, template: IndexedPodTemplate): Finding[] {
  return findingsOf(template.containers, (container) =>
    findingsOf(envValues(index, template, container), (env) => checkValue(index, evaluator, template, container, env)));
}

export const envReachability: Rule = {
  id: 'env-reachability',
  summary: 'A container env value (or ConfigMap value it reads) that names a Service of the set as a host, with or without port, is a connection the NetworkPolicies of both ends allow.',
  breaks: 'The container cannot connect to the host it is configured with.',
  apiServer: 'accepts',
  check: (index) => {
    // Without policies nothing is denied: most sets end here.
    if (index.byKind('NetworkPolicy').length === 0) return [];
    const evaluator = networkPolicyEvaluator(index);
    return findingsOf(index.podTemplates, (template) => checkTemplate(index, evaluator, template));
  },
};

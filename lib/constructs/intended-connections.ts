import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { CLUSTER_DNS_EGRESS_RULE, Connections } from './connections';
import { parseCidr } from '../manifest/cidr';
import { compareText } from '../manifest/objects';
import { Peer } from './peer';
import { IPodTarget } from './pod-target';
import { WorkloadBase } from './workload';

/**
 * One connection an app means to allow, as the constructs declared it, in the terms of a
 * connectivity analyzer (np-guard's `k8snetpolicy list`): the ends are workloads
 * (`namespace/name[Kind]`) or, outside the app, the pods a NetworkPolicy peer selects
 * (`namespace/[all pods]`, `namespace/[pod with {key=value}]`), `entire-cluster` or
 * `0.0.0.0-255.255.255.255`.
 */
export interface IntendedConnection {
  /** Who opens the connection. */
  readonly src: string;
  /** Who accepts it. */
  readonly dst: string;
  /** Protocol and port, sorted: `TCP 8080`, `UDP 53`; or `All Connections`. */
  readonly ports: readonly string[];
}

/** The object kinds whose pods the analyzer names as workloads. */
const WORKLOAD_KINDS: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod']);
const ALL_CONNECTIONS = 'All Connections';
const EVERY_ADDRESS = '0.0.0.0-255.255.255.255';
const ENTIRE_CLUSTER = 'entire-cluster';

/**
 * The connections an app's workloads are meant to make, from the edges their constructs declared
 * and nothing else: every `allowFrom`/`allowTo` edge (peers outside the app included, such as the
 * ingress controller or the Gateway data plane a front admits) from each workload of the client to
 * each of the server, on the declared TCP ports; DNS to the cluster's resolver from every workload
 * whose egress is restricted; any destination from one with `restrictEgress: false`. Sorted by
 * source, then destination, one entry per pair.
 *
 * Throws for a workload without a NetworkPolicy (`networkPolicy: false`): nothing declares what
 * may reach it.
 */
export function intendedConnections(app: IConstruct): IntendedConnection[] {
  const targets = app.node.findAll().filter((c): c is WorkloadBase => c instanceof WorkloadBase);
  const unprotected = targets.filter((t) => !t.networkPolicy).map((t) => t.node.path);
  if (unprotected.length) {
    throw new Error(`intendedConnections: ${unprotected.join(', ')} ha${unprotected.length > 1 ? 've' : 's'} no NetworkPolicy (networkPolicy: false), so no declared edge says what may reach ${unprotected.length > 1 ? 'them' : 'it'}`);
  }
  const edges = new Map<string, { src: string; dst: string; ports: Set<string> }>();
  const add = (src: string, dst: string, ports: readonly string[]) => {
    const key = `${src}\0${dst}`;
    const edge = edges.get(key) ?? { src, dst, ports: new Set<string>() };
    for (const port of ports) edge.ports.add(port);
    edges.set(key, edge);
  };
  const dnsResolver = peerName(CLUSTER_DNS_EGRESS_RULE.to![0], 'kube-system');
  // The rule is in JSON form: a port is the number itself (intOrStringValue).
  const dnsPorts = (CLUSTER_DNS_EGRESS_RULE.ports ?? []).map((p) => `${p.protocol} ${p.port as unknown as number}`);
  for (const server of targets) {
    const servers = workloadsOf(server);
    for (const edge of server.connections.ingress) {
      const clients = edge.from instanceof Peer ? [peerName(edge.from.peer, server.namespace)] : workloadsOf(edge.from);
      for (const src of clients) for (const dst of servers) add(src, dst, edge.ports.map((port) => `TCP ${port}`));
    }
    const restricted = (server.connections as Connections).restrictsEgress;
    for (const src of servers) {
      if (restricted) add(src, dnsResolver, dnsPorts);
      else for (const dst of [ENTIRE_CLUSTER, EVERY_ADDRESS]) add(src, dst, [ALL_CONNECTIONS]);
    }
  }
  return [...edges.values()]
    .map(({ src, dst, ports }) => ({ src, dst, ports: [...ports].sort(byProtocolAndPort) }))
    .sort((a, b) => a.src.localeCompare(b.src) || a.dst.localeCompare(b.dst));
}

/** `namespace/name[Kind]` of each workload object a construct made: a version's Deployment each, a StatefulSet, a Job. */
function workloadsOf(target: IPodTarget): string[] {
  return target.node.findAll()
    .filter((c): c is ApiObject => c instanceof ApiObject && WORKLOAD_KINDS.has(c.kind))
    .map((o) => `${o.metadata.namespace ?? 'default'}/${o.name}[${o.kind}]`);
}

/**
 * The pods a NetworkPolicy peer selects, as the analyzer names pods outside the input: the namespace
 * its `kubernetes.io/metadata.name` label names (`namespace` itself without a namespace selector),
 * then `[all pods]` or `[pod with {key=value,…}]` (keys sorted, as a label selector prints them).
 */
function peerName(peer: k8s.NetworkPolicyPeer, namespace: string): string {
  if (peer.ipBlock) return ipBlockName(peer.ipBlock);
  const namespaceLabels = peer.namespaceSelector?.matchLabels ?? {};
  const named = namespaceLabels['kubernetes.io/metadata.name'];
  if (peer.namespaceSelector && (named === undefined || Object.keys(namespaceLabels).length !== 1 || peer.namespaceSelector.matchExpressions?.length)) {
    throw new Error(`intendedConnections: a peer must select its namespace by name (kubernetes.io/metadata.name): ${JSON.stringify(peer)}`);
  }
  const podLabels = Object.entries(peer.podSelector?.matchLabels ?? {}).sort(([a], [b]) => compareText(a, b));
  const pods = podLabels.length ? `[pod with {${podLabels.map(([key, value]) => `${key}=${value}`).join(',')}}]` : '[all pods]';
  return `${named ?? namespace}/${pods}`;
}

/** An IPv4 block as the analyzer names addresses: `first-last` (`0.0.0.0/0` is `0.0.0.0-255.255.255.255`). */
function ipBlockName(block: k8s.IpBlock): string {
  const cidr = parseCidr(block.cidr);
  if (!cidr || cidr.width !== 32 || block.except?.length) {
    throw new Error(`intendedConnections: only an IPv4 ipBlock without except is named here: ${JSON.stringify(block)}`);
  }
  const size = 1n << BigInt(32 - cidr.prefix);
  const first = (cidr.bits / size) * size;
  const dotted = (bits: bigint) => [24n, 16n, 8n, 0n].map((shift) => String((bits >> shift) & 255n)).join('.');
  return `${dotted(first)}-${dotted(first + size - 1n)}`;
}

function byProtocolAndPort(a: string, b: string): number {
  const [protocolA, portA] = a.split(' ');
  const [protocolB, portB] = b.split(' ');
  return protocolA.localeCompare(protocolB) || Number(portA) - Number(portB);
}

import { ApiObject, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { Peer } from './peer';
import { AllowedConnection, AllowedEgress, EgressPolicyOptions, findPort, IConnections, IPodTarget } from './pod-target';
import { checkDns1123Label, detachOnError, invalidProp } from './props';
import { createJsonFormObject, intOrStringValue } from './json-form';

// Moved to their own modules so that connections and workloads need not import each other;
// re-exported for code that imports them from here.
export { Peer } from './peer';
export type { AllowedConnection, AllowedEgress, EgressPolicyOptions } from './pod-target';

/** The cluster's DNS resolver: CoreDNS (or kube-dns) pods in kube-system, on port 53 over UDP and TCP. */
export const CLUSTER_DNS_EGRESS_RULE: k8s.NetworkPolicyEgressRule = {
  to: [{
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
    podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
  }],
  ports: [{ protocol: 'UDP', port: intOrStringValue(53) }, { protocol: 'TCP', port: intOrStringValue(53) }],
};

/**
 * Who may open connections to a workload's pods, and to whom its pods may connect. Each workload
 * owns one; its NetworkPolicy (`<name>-network-policy`) admits exactly the declared edges, both
 * ways, so an undeclared client is refused even without a namespace-wide default-deny, and so is
 * a connection the workload was not declared to make.
 */
export class Connections implements IConnections {
  private readonly allowed: AllowedConnection[] = [];
  private readonly allowedOut: AllowedEgress[] = [];
  private egressRestricted?: boolean;

  /** @internal */
  constructor(private readonly owner: IPodTarget) {}

  /** Lets `client` connect to this workload on `ports` (default: every port it declares). */
  public allowFrom(client: IPodTarget | Peer, ...ports: number[]): void {
    this.admit(client, ports, this.owner, 'allowFrom');
  }

  /**
   * Records the edge from `client` on `ports`, after checking the ports against this workload's;
   * a problem is reported on `caller`, whose `connections.<method>` was called.
   */
  private admit(client: IPodTarget | Peer, ports: readonly number[], caller: IPodTarget, method: 'allowFrom' | 'allowTo'): void {
    const declared = this.owner.containerPorts.map((p) => p.port);
    const field = `connections.${method}`;
    if (!declared.length) {
      const named = method === 'allowFrom' ? describe(client) : this.owner.name;
      throw invalidProp(caller, field, named, `${this.owner.name} declares no port, so nothing can connect to it`);
    }
    for (const port of ports) {
      if (!findPort(this.owner, port)) {
        throw invalidProp(caller, `${field} port`, port, `must be a port ${this.owner.name} declares (${declared.join(', ')})`);
      }
    }
    const edge = { from: client, ports: ports.length ? ports : declared };
    this.allowed.push(edge);
    if (!(client instanceof Peer)) client.connections.recordEgress(this.owner, edge.ports);
  }

  /**
   * Records, on the client's side, an edge its server admitted: called by the server's
   * {@link allowFrom}, so both policies say the same. Not for direct use.
   * @internal
   */
  public recordEgress(server: IPodTarget, ports: readonly number[]): void {
    this.allowedOut.push({ to: server, ports });
  }

  /** Lets this workload connect to `server` (recorded on the server's side). */
  public allowTo(server: IPodTarget, ...ports: number[]): void {
    const connections = server.connections;
    if (connections instanceof Connections) connections.admit(this.owner, ports, this.owner, 'allowTo');
    else connections.allowFrom(this.owner, ...ports);
  }

  /** The edges declared so far, in declaration order. */
  public get ingress(): readonly AllowedConnection[] {
    return this.allowed;
  }

  /** The outgoing edges declared so far, in declaration order. */
  public get egress(): readonly AllowedEgress[] {
    return this.allowedOut;
  }

  /**
   * Whether the policy admits only the declared outgoing edges and DNS (`restrictEgress`);
   * undefined until {@link createPolicy} made it.
   * @internal
   */
  public get restrictsEgress(): boolean | undefined {
    return this.egressRestricted;
  }

  /**
   * The NetworkPolicy that enforces the declared edges; its rules are read at synthesis.
   * @internal
   */
  public createPolicy(scope: Construct, name: string, options: EgressPolicyOptions = {}): k8s.KubeNetworkPolicy {
    const restrictEgress = options.restrictEgress ?? true;
    if (typeof restrictEgress !== 'boolean') throw invalidProp(scope, 'restrictEgress', restrictEgress, 'must be true or false');
    this.egressRestricted = restrictEgress;
    return createJsonFormObject(k8s.KubeNetworkPolicy, scope, 'NetworkPolicy', {
      metadata: { name },
      spec: {
        podSelector: { matchLabels: { ...this.owner.selectorLabels } },
        policyTypes: ['Ingress', 'Egress'],
        // No rule admits nothing. An empty list is left out rather than written as `ingress: []`: the
        // API server stores it as absent, so a server-side apply of `[]` would change the object every time.
        ingress: Lazy.any({ produce: () => (this.allowed.length ? this.allowed.map((edge) => this.toRule(edge)) : undefined) }) as unknown as k8s.NetworkPolicyIngressRule[],
        // Without restriction, one empty rule: every destination on every port.
        egress: Lazy.any({
          produce: () => (restrictEgress ? [CLUSTER_DNS_EGRESS_RULE, ...this.allowedOut.map((edge) => this.toEgressRule(edge))] : [{}]),
        }) as unknown as k8s.NetworkPolicyEgressRule[],
      },
    });
  }

  private toEgressRule(edge: AllowedEgress): k8s.NetworkPolicyEgressRule {
    return {
      to: [this.peerFor(edge.to)],
      ports: edge.ports.map((port) => ({ protocol: 'TCP', port: intOrStringValue(port) })),
    };
  }

  private toRule(edge: AllowedConnection): k8s.NetworkPolicyIngressRule {
    return {
      from: [edge.from instanceof Peer ? edge.from.peer : this.peerFor(edge.from)],
      ports: edge.ports.map((port) => ({ protocol: 'TCP', port: intOrStringValue(port) })),
    };
  }

  /** The pods of `other` (a client or a server), as seen from the owner's namespace. */
  private peerFor(other: IPodTarget): k8s.NetworkPolicyPeer {
    const podSelector = { matchLabels: { ...other.selectorLabels } };
    if (other.namespace === this.owner.namespace) return { podSelector };
    return { podSelector, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': other.namespace } } };
  }
}

function describe(client: IPodTarget | Peer): string {
  return client instanceof Peer ? client.description : client.name;
}

/** The namespace-wide policy that selects every pod and allows nothing in `direction`. */
function defaultDenyPolicy(owner: Construct, direction: 'Ingress' | 'Egress', namespace: string | undefined): k8s.KubeNetworkPolicy {
  if (namespace !== undefined) checkDns1123Label(owner, 'namespace', namespace);
  return createJsonFormObject(k8s.KubeNetworkPolicy, owner, 'Resource', {
    metadata: { name: `default-deny-${direction.toLowerCase()}`, namespace },
    spec: { podSelector: {}, policyTypes: [direction] },
  });
}

/** Props of a {@link DefaultDenyEgress}. */
export interface DefaultDenyEgressProps {
  /** Namespace the policy applies to. @default - the chart's namespace */
  readonly namespace?: string;
}

/**
 * A namespace-wide policy that refuses every outgoing connection (DNS included) not allowed by
 * another policy: each workload's own policy admits its declared edges and DNS.
 */
@detachOnError
export class DefaultDenyEgress extends Construct {
  public readonly policy: ApiObject;

  constructor(scope: Construct, id: string, props: DefaultDenyEgressProps = {}) {
    super(scope, id);
    this.policy = defaultDenyPolicy(this, 'Egress', props.namespace);
  }
}

/** Props of a {@link DefaultDenyIngress}. */
export interface DefaultDenyIngressProps {
  /** Namespace the policy applies to. @default - the chart's namespace */
  readonly namespace?: string;
}

/** A namespace-wide policy that refuses every incoming connection not allowed by another policy. */
@detachOnError
export class DefaultDenyIngress extends Construct {
  public readonly policy: ApiObject;

  constructor(scope: Construct, id: string, props: DefaultDenyIngressProps = {}) {
    super(scope, id);
    this.policy = defaultDenyPolicy(this, 'Ingress', props.namespace);
  }
}

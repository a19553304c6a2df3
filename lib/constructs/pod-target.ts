import { k8s } from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { Peer } from './peer';
import { ContainerPort } from './pod-template';

/**
 * The shapes workloads and their connections see of each other: a workload's pods and the edges
 * declared between them. They live here, apart from the `Connections` class and the
 * workload constructs, so that neither module has to import the other.
 */

/** Pods that other constructs can put a Service, an Ingress or a network policy in front of. */
export interface IPodTarget extends IConstruct {
  /** The workload's base name (e.g. `backend`). */
  readonly name: string;
  /** Labels that select exactly this workload's pods. */
  readonly selectorLabels: Readonly<Record<string, string>>;
  /** Labels of the workload's objects and pods (the recommended `app.kubernetes.io/*` labels, its selector labels among them). */
  readonly labels: Readonly<Record<string, string>>;
  /** Ports the pods' container listens on. */
  readonly containerPorts: readonly ContainerPort[];
  /** Namespace of the pods. */
  readonly namespace: string;
  /** Who may connect to these pods; becomes a NetworkPolicy. */
  readonly connections: IConnections;
}

/** One allowed edge into a workload. @inline */
export interface AllowedConnection {
  readonly from: IPodTarget | Peer;
  readonly ports: readonly number[];
}

/** One allowed edge out of a workload: to a server's pods, on their container ports. @inline */
export interface AllowedEgress {
  readonly to: IPodTarget;
  readonly ports: readonly number[];
}

/** How a workload's NetworkPolicy treats the connections its pods open. */
export interface EgressPolicyOptions {
  /**
   * Admit only the declared outgoing edges (`allowTo`, and `allowFrom` on the server's side) and
   * DNS to the cluster's resolver. `false` admits every outgoing connection, explicitly, so that
   * a namespace-wide default-deny egress does not cut the pods off.
   * @default true
   */
  readonly restrictEgress?: boolean;
}

/** The connections of one workload, as {@link Connections} implements them. */
export interface IConnections {
  /** Lets `client` connect to this workload on `ports` (default: every port it declares). */
  allowFrom(client: IPodTarget | Peer, ...ports: number[]): void;
  /** Lets this workload connect to `server` (recorded on the server's side). */
  allowTo(server: IPodTarget, ...ports: number[]): void;
  /**
   * Records, on the client's side, an edge its server admitted. Not for direct use.
   * @internal
   */
  recordEgress(server: IPodTarget, ports: readonly number[]): void;
  /** The edges declared so far, in declaration order. */
  readonly ingress: readonly AllowedConnection[];
  /** The outgoing edges declared so far, in declaration order. */
  readonly egress: readonly AllowedEgress[];
  /**
   * The NetworkPolicy that enforces the declared edges; its rules are read at synthesis.
   * @internal
   */
  createPolicy(scope: Construct, name: string, options?: EgressPolicyOptions): k8s.KubeNetworkPolicy;
}

/** Resolves a container port by number or name. */
export function findPort(target: Pick<IPodTarget, 'containerPorts'>, port: number | string): ContainerPort | undefined {
  return target.containerPorts.find((p) => p.port === port || p.name === port);
}

import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { Connections } from './connections';
import { ContainerPort, ResourceList } from './pod-template';
import { invalidProp } from './props';

/** The label every construct selects its pods by: short, stable, and independent of the construct tree. */
export const NAME_LABEL = 'app.kubernetes.io/name';

/** The selector labels of a workload called `name`. */
export function selectorLabelsFor(name: string): Record<string, string> {
  return { [NAME_LABEL]: name };
}

/**
 * The workload's labels with its selector label: refuses a `labels` prop that sets the selector
 * label to another value, which would otherwise be silently overridden.
 */
export function workloadLabels(scope: IConstruct, name: string, labels: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const given = labels?.[NAME_LABEL];
  if (given !== undefined && given !== name) {
    throw invalidProp(scope, `labels["${NAME_LABEL}"]`, given, `must be the workload's name "${name}" or left out: the construct selects its pods by it`);
  }
  return { ...labels, ...selectorLabelsFor(name) };
}

/** Labels and annotations every workload construct accepts. */
export interface WorkloadMetadataProps {
  /** Extra labels on every object and pod. @default - none */
  readonly labels?: Readonly<Record<string, string>>;
  /** Annotations on the workload object (Deployment, StatefulSet, …). @default - none */
  readonly annotations?: Readonly<Record<string, string>>;
  /** Annotations on the pods. @default - none */
  readonly podAnnotations?: Readonly<Record<string, string>>;
}

/** Pods that other constructs can put a Service, an Ingress or a network policy in front of. */
export interface IPodTarget extends IConstruct {
  /** The workload's base name (e.g. `backend`). */
  readonly name: string;
  /** Labels that select exactly this workload's pods. */
  readonly selectorLabels: Readonly<Record<string, string>>;
  /** Ports the pods' container listens on. */
  readonly containerPorts: readonly ContainerPort[];
  /** Namespace of the pods. */
  readonly namespace: string;
  /** Who may connect to these pods; becomes a NetworkPolicy. */
  readonly connections: Connections;
}

/** A workload a HorizontalPodAutoscaler can scale. */
export interface IScalable extends IPodTarget {
  /** What `spec.scaleTargetRef` names. */
  readonly scaleTargetRef: { readonly apiVersion: string; readonly kind: string; readonly name: string };
  /** Requests of each container, so an autoscaler can refuse utilization targets without them. */
  readonly containerRequests: readonly ResourceList[];
  /**
   * Called by an autoscaler: the workload stops fixing `spec.replicas`. Throws when another
   * autoscaler already took them over (or the workload cannot be scaled).
   */
  releaseReplicasToAutoscaler(): void;
}

/** The error of a second autoscaler on the same workload: the two would fight over its replicas. */
export function alreadyAutoscaled(target: IScalable): Error {
  return invalidProp(target, 'autoscaling', target.name, 'another HpaPolicy already scales this workload; two autoscalers would fight over its replica count');
}

/** The namespace objects in `scope` end up in. */
export function namespaceOf(scope: IConstruct): string {
  return Chart.of(scope).namespace ?? 'default';
}

/** Resolves a container port by number or name. */
export function findPort(target: Pick<IPodTarget, 'containerPorts'>, port: number | string): ContainerPort | undefined {
  return target.containerPorts.find((p) => p.port === port || p.name === port);
}

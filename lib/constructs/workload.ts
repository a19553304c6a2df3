import { ApiObject, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { Connections } from './connections';
import { WorkloadDisruptionBudget } from './disruption-budget';
import { ContainerPort, ResourceList } from './pod-template';
import { imageVersionLabels, NAME_LABEL, recommendedLabels } from './labels';
import { IPodTarget } from './pod-target';
import { addProtection, ProtectionProps } from './protection';
import { checkAnnotations, checkDns1123Label, checkLabels, invalidProp } from './props';
import { mergedRecord } from './records';

export { findPort } from './pod-target';
export type { IPodTarget } from './pod-target';
export { NAME_LABEL } from './labels';

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
  return mergedRecord(labels, selectorLabelsFor(name));
}

/** Labels and annotations every workload construct accepts. */
export interface WorkloadMetadataProps {
  /** Extra labels on every object and pod, over the recommended ones (`app.kubernetes.io/component`, say). @default - none */
  readonly labels?: Readonly<Record<string, string>>;
  /** Annotations on the workload object (Deployment, StatefulSet, …). @default - none */
  readonly annotations?: Readonly<Record<string, string>>;
  /** Annotations on the pods. @default - none */
  readonly podAnnotations?: Readonly<Record<string, string>>;
}

/**
 * The checks of a workload's name: a DNS-1123 label, and so is the name of the object it
 * becomes (`<name>-<suffix>`, e.g. `backend-deployment`), when a suffix is given.
 */
export function checkWorkloadName(scope: IConstruct, name: string, suffix?: string): void {
  checkDns1123Label(scope, 'name', name);
  if (suffix !== undefined) checkDns1123Label(scope, `name (as "<name>-${suffix}")`, `${name}-${suffix}`);
}

/** The checks of {@link WorkloadMetadataProps}, one per prop, for a construct's own `checkAll`. */
export function workloadMetadataChecks(scope: IConstruct, name: string, props: WorkloadMetadataProps): (() => unknown)[] {
  return [
    () => checkLabels(scope, 'labels', props.labels),
    () => workloadLabels(scope, name, props.labels),
    () => checkAnnotations(scope, 'annotations', props.annotations),
    () => checkAnnotations(scope, 'podAnnotations', props.podAnnotations),
  ];
}

/** A workload a HorizontalPodAutoscaler can scale. */
export interface IAutoscalable extends IPodTarget {
  /** What `spec.scaleTargetRef` names. */
  readonly scaleTargetRef: { readonly apiVersion: string; readonly kind: string; readonly name: string };
  /** Requests of each container, so an autoscaler can refuse utilization targets without them. */
  readonly containerRequests: readonly ResourceList[];
  /**
   * Called by an autoscaler: the workload stops fixing `spec.replicas`. Throws when another
   * autoscaler already took them over.
   */
  releaseReplicasToAutoscaler(): void;
}

/** The error of a second autoscaler on the same workload: the two would fight over its replicas. */
export function alreadyAutoscaled(target: IPodTarget): Error {
  return invalidProp(target, 'autoscaling', target.name, 'another HpaPolicy already scales this workload; two autoscalers would fight over its replica count');
}

/** The namespace objects in `scope` end up in. */
export function namespaceOf(scope: IConstruct): string {
  return Chart.of(scope).namespace ?? 'default';
}

/** Who a workload is: what {@link WorkloadBase} needs before the construct builds its objects. */
export interface WorkloadIdentity extends WorkloadMetadataProps {
  /** The workload's base name, checked by the construct ({@link checkWorkloadName}). */
  readonly name: string;
  /** Ports the pods' container listens on. */
  readonly containerPorts: readonly ContainerPort[];
  /** The image the pods run: its tag becomes the `app.kubernetes.io/version` label. @default - no version label */
  readonly image?: string;
}

/**
 * The base of the workload constructs (WebApp, StatefulApp and its presets, BatchJob,
 * ScheduledJob): it owns the members they share — name, selector labels, ports, namespace,
 * connections, the labels and metadata of their objects, the replicas an autoscaler takes over,
 * and the PodDisruptionBudget and NetworkPolicy around the pods.
 *
 * An abstract class rather than a composition helper: those members are the workload's own public
 * members, which a helper could only hand back for each construct to declare again, and the
 * autoscaling state is shared by the construct, its `spec.replicas` and its disruption budget.
 * Each construct still runs its checks itself, in its own order and all reported at once, with the
 * shared ones from `checkWorkloadName` and `workloadMetadataChecks` in this module; the base builds
 * nothing until the construct asks it to, so the objects keep their order in the output.
 */
export abstract class WorkloadBase extends Construct implements IPodTarget {
  public readonly name: string;
  public readonly selectorLabels: Readonly<Record<string, string>>;
  public readonly containerPorts: readonly ContainerPort[];
  public readonly connections: Connections;
  /** The `labels`, `annotations` and `image` props, the only ones of the identity the base reads later (it keeps no copy of the props). */
  private readonly metadata: Pick<WorkloadIdentity, 'labels' | 'annotations' | 'image'>;
  private objectLabels?: Record<string, string>;
  private policy?: ApiObject;
  private autoscaled = false;

  /** @internal */
  protected constructor(scope: Construct, id: string, identity: WorkloadIdentity) {
    super(scope, id);
    this.name = identity.name;
    this.containerPorts = identity.containerPorts;
    this.metadata = { labels: identity.labels, annotations: identity.annotations, image: identity.image };
    this.selectorLabels = selectorLabelsFor(this.name);
    this.connections = new Connections(this);
  }

  /** Namespace of the pods: the chart's. */
  public get namespace(): string {
    return namespaceOf(this);
  }

  /** The NetworkPolicy admitting only the declared connections, in and out, unless `networkPolicy: false`. */
  public get networkPolicy(): ApiObject | undefined {
    return this.policy;
  }

  /**
   * The labels of every object and pod: the recommended ones (the chart's `part-of`, `instance` and
   * `managed-by`, the image's `version`), the `labels` prop over them and the selector label. The
   * construct has checked the prop before it builds anything.
   */
  public get labels(): Readonly<Record<string, string>> {
    this.objectLabels ??= recommendedLabels(this, imageVersionLabels(this.metadata.image), this.metadata.labels, this.selectorLabels);
    return this.objectLabels;
  }

  /**
   * Metadata of the workload object (`<name>-deployment`, …): its name, the labels and the `annotations` prop.
   * @internal
   */
  protected objectMetadata(name: string): k8s.ObjectMeta {
    const annotations = this.metadata.annotations;
    return { name, labels: mergedRecord(this.labels), annotations: annotations && mergedRecord(annotations) };
  }

  /**
   * Whether an autoscaler took the replicas over.
   * @internal
   */
  protected get isAutoscaled(): boolean {
    return this.autoscaled;
  }

  /**
   * `spec.replicas`, read at synthesis: `replicas` until an autoscaler takes them over, then left out.
   * @internal
   */
  protected replicasUnlessAutoscaled(replicas: number): () => number | undefined {
    return () => (this.autoscaled ? undefined : replicas);
  }

  /**
   * What an autoscalable workload's `releaseReplicasToAutoscaler` does: once, and refused a second time.
   * @internal
   */
  protected releaseReplicas(): void {
    if (this.autoscaled) throw alreadyAutoscaled(this);
    this.autoscaled = true;
  }

  /**
   * Adds the PodDisruptionBudget (when `disruptionBudget` is set) and the NetworkPolicy, after the
   * construct's other objects; returns the budget for the construct to expose.
   * @internal
   */
  protected protect(props: ProtectionProps, replicas: () => number | undefined = () => undefined): WorkloadDisruptionBudget | undefined {
    const { disruptionBudget, networkPolicy } = addProtection(this, props, replicas);
    this.policy = networkPolicy;
    return disruptionBudget;
  }
}

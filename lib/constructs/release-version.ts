import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Connections } from './connections';
import { DisruptionBudgetProps, WorkloadDisruptionBudget } from './disruption-budget';
import { HpaPolicy, HpaPolicyProps } from './hpa-policy';
import { ContainerPort, PodTemplateProps, ResourceList } from './pod-template';
import { detachOnError } from './props';
import { RELEASE_VERSION_LABEL } from '../manifest/release-labels';
import { createWebDeployment, RolloutProps, webContainerRequests } from './web-deployment';
import { alreadyAutoscaled, IAutoscalable, namespaceOf, NAME_LABEL } from './workload';
import { imageVersionLabels } from './labels';
import { mergedRecord } from './records';

/** Autoscaling of one version's Deployment: an {@link HpaPolicy} without its target. @inline */
export type VersionAutoscaling = Omit<HpaPolicyProps, 'target'>;

/** Props of a {@link ReleaseVersion}: one version of a released app, already checked by the release. */
export interface ReleaseVersionProps {
  /** The app's name (`app.kubernetes.io/name`), shared by every version. */
  readonly appName: string;
  /** The version's name (the value of the pods' version label), e.g. `blue`. */
  readonly version: string;
  /** The version's container and pod settings (the app's, with the version's over them). */
  readonly pod: PodTemplateProps;
  /** The app's labels (the recommended ones and `app.kubernetes.io/name`); the version adds its image's version label and its own selector label. */
  readonly labels: Readonly<Record<string, string>>;
  /** Annotations of the Deployment. @default - none */
  readonly annotations?: Readonly<Record<string, string>>;
  /** Annotations of the pods. @default - none */
  readonly podAnnotations?: Readonly<Record<string, string>>;
  /** The ports of the container, the same for every version. */
  readonly ports: readonly ContainerPort[];
  /** Pods to run; ignored once autoscaled. @default 1 */
  readonly replicas?: number;
  /** Rolling-update settings within the version. @default - Kubernetes' 25% / 25% */
  readonly rollout?: RolloutProps;
  /** Spread the version's pods across nodes. @default false */
  readonly spreadAcrossNodes?: boolean;
  /** A PodDisruptionBudget `<app>-<version>-pdb`. @default - none */
  readonly disruptionBudget?: DisruptionBudgetProps;
  /** An HPA `<app>-<version>-hpa` scaling this version's Deployment. @default - fixed replicas */
  readonly autoscaling?: VersionAutoscaling;
  /** The release's connections: one NetworkPolicy covers every version of the app. */
  readonly connections: Connections;
}

/**
 * One version of a released app: the Deployment `<app>-<version>-deployment`, whose selector and
 * pods carry `app.kubernetes.io/name` and the version label, and when asked its own
 * PodDisruptionBudget and HPA. Created by a {@link ReleasedWebApp}; the Services that select it
 * belong to the release, so switching versions never changes this Deployment.
 */
@detachOnError
export class ReleaseVersion extends Construct implements IAutoscalable {
  /** `<app>-<version>`: the base of the version's object names. */
  public readonly name: string;
  /** The version's name, e.g. `blue`. */
  public readonly version: string;
  public readonly deployment: ApiObject;
  public readonly disruptionBudget?: WorkloadDisruptionBudget;
  public readonly autoscaler?: HpaPolicy;
  /** `app.kubernetes.io/name` and the version label: exactly this version's pods. */
  public readonly selectorLabels: Readonly<Record<string, string>>;
  /** The app's labels with the version's: `app.kubernetes.io/version` (its image's tag) and the version label. */
  public readonly labels: Readonly<Record<string, string>>;
  public readonly containerPorts: readonly ContainerPort[];
  public readonly containerRequests: readonly ResourceList[];
  public readonly namespace: string;
  public readonly connections: Connections;
  public readonly scaleTargetRef: { readonly apiVersion: string; readonly kind: string; readonly name: string };
  private autoscaled = false;

  /** @internal */
  constructor(scope: Construct, id: string, props: ReleaseVersionProps) {
    super(scope, id);
    this.name = `${props.appName}-${props.version}`;
    this.version = props.version;
    this.namespace = namespaceOf(this);
    this.connections = props.connections;
    this.containerPorts = props.ports;
    this.selectorLabels = { [NAME_LABEL]: props.appName, [RELEASE_VERSION_LABEL]: props.version };
    this.containerRequests = webContainerRequests(props.pod);
    const labels = mergedRecord(mergedRecord(imageVersionLabels(props.pod.image), props.labels), this.selectorLabels);
    this.labels = labels;
    const replicas = props.replicas ?? 1;
    this.scaleTargetRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: `${this.name}-deployment` };
    this.deployment = createWebDeployment(this, {
      name: this.name,
      containerName: props.appName,
      container: props.pod,
      labels,
      selectorLabels: this.selectorLabels,
      annotations: props.annotations,
      podAnnotations: props.podAnnotations,
      ports: props.ports,
      replicas: () => (this.autoscaled ? undefined : replicas),
      rollout: props.rollout,
      spreadAcrossNodes: props.spreadAcrossNodes,
    });
    this.disruptionBudget = props.disruptionBudget
      ? new WorkloadDisruptionBudget(this, 'DisruptionBudget', { ...props.disruptionBudget, target: this, replicas: () => (this.autoscaled ? undefined : replicas) })
      : undefined;
    this.autoscaler = props.autoscaling ? new HpaPolicy(this, 'Autoscaling', { ...props.autoscaling, target: this }) : undefined;
  }

  public releaseReplicasToAutoscaler(): void {
    if (this.autoscaled) throw alreadyAutoscaled(this);
    this.autoscaled = true;
  }
}

import { k8s, ServiceType } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { Connections } from './connections';
import { WorkloadDisruptionBudget } from './disruption-budget';
import { addProtection, ProtectionProps } from './protection';
import { IngressedService, IngressOptions } from './ingressed-service';
import {
  APP_CONTAINER_DEFAULTS, checkPodTemplate, ContainerDefaults, ContainerPort, mergeResources, PodTemplateProps, ResourceList,
} from './pod-template';
import {
  checkAll, checkAnnotations, checkDns1123Label, checkIntOrPercent, checkInteger, checkLabels, checkPort, checkPortName, invalidProp,
  removeHalfBuilt,
} from './props';
import { createService } from './service';
import { createWebDeployment } from './web-deployment';
import { isZeroIntOrPercent } from './validation/int-or-percent';
import {
  alreadyAutoscaled, IScalable, namespaceOf, selectorLabelsFor, workloadLabels, WorkloadMetadataProps,
} from './workload';
import { intOrStringValue } from './json-form';

/** How a Deployment replaces its pods: Kubernetes' `maxSurge` / `maxUnavailable`. */
export interface RolloutProps {
  /** Extra pods above `replicas` during a rollout: a count or a percentage such as `"50%"`. @default "25%" */
  readonly maxSurge?: number | string;
  /** Pods that may be unavailable during a rollout: a count or a percentage such as `"10%"`. @default "25%" */
  readonly maxUnavailable?: number | string;
}

/** Props of a {@link WebApp}. */
export interface WebAppProps extends PodTemplateProps, WorkloadMetadataProps, ProtectionProps {
  /** Base name: objects are `<name>-deployment`, `<name>-service`, and so on; also the `app.kubernetes.io/name` label. */
  readonly name: string;
  /** Port the container listens on; with it the app gets a Service. @default - no port, no Service (a worker) */
  readonly port?: number;
  /** Name of the container port (probes and Services refer to it). @default 'http' */
  readonly portName?: string;
  /** Pods to run; ignored once an HpaPolicy targets the app. @default 1 */
  readonly replicas?: number;
  /**
   * The exact name of the Service, e.g. the host name clients already use (`backend` for a
   * compose service): a DNS-1035 label. Needs a `port`. @default `<name>-service`
   */
  readonly serviceName?: string;
  /** Service type. @default ServiceType.CLUSTER_IP */
  readonly serviceType?: ServiceType;
  /** Port the Service exposes. @default - the container port */
  readonly servicePort?: number;
  /** Fixed node port, for `ServiceType.NODE_PORT`. @default - assigned by Kubernetes */
  readonly nodePort?: number;
  /** Also route a host name to the Service through an Ingress. @default - no Ingress */
  readonly ingress?: IngressOptions;
  /** Rolling-update settings. @default - Kubernetes' 25% / 25% */
  readonly rollout?: RolloutProps;
  /** Spread pods across nodes (topology spread on `kubernetes.io/hostname`, best effort). @default false */
  readonly spreadAcrossNodes?: boolean;
}

/** Defaults of a WebApp's container: the shared application defaults. */
export const WEB_APP_DEFAULTS: ContainerDefaults = APP_CONTAINER_DEFAULTS;

/**
 * A stateless application: a Deployment and, when it has a port, a Service (and optionally an
 * Ingress). Pods are selected by `app.kubernetes.io/name`, so moving the construct in the tree
 * never changes an immutable selector.
 */
export class WebApp extends Construct implements IScalable {
  public readonly name: string;
  public readonly deployment: k8s.KubeDeployment;
  /** The Service in front of the pods, when the app has a port. */
  public readonly service?: k8s.KubeService;
  /** The Service and Ingress, when `ingress` is set. */
  public readonly ingress?: IngressedService;
  /** The port the Service exposes, when the app has a port. */
  public readonly servicePort?: number;
  public readonly disruptionBudget?: WorkloadDisruptionBudget;
  public readonly networkPolicy?: k8s.KubeNetworkPolicy;
  public readonly connections: Connections;
  public readonly selectorLabels: Readonly<Record<string, string>>;
  public readonly containerPorts: readonly ContainerPort[];
  public readonly containerRequests: readonly ResourceList[];
  public readonly namespace: string;
  public readonly scaleTargetRef: { readonly apiVersion: string; readonly kind: string; readonly name: string };
  private autoscaled = false;

  constructor(scope: Construct, id: string, props: WebAppProps) {
    super(scope, id);
    try {
      const portName = props.portName ?? 'http';
      const ports = props.port !== undefined ? [{ name: portName, port: props.port }] : [];
      checkAll(this, [
        () => {
          checkDns1123Label(this, 'name', props.name);
          checkDns1123Label(this, 'name (as "<name>-deployment")', `${props.name}-deployment`);
        },
        () => checkInteger(this, 'replicas', props.replicas ?? 1, 0),
        () => props.port !== undefined && checkPort(this, 'port', props.port),
        () => checkPortName(this, 'portName', portName),
        () => checkLabels(this, 'labels', props.labels),
        () => workloadLabels(this, props.name, props.labels),
        () => checkAnnotations(this, 'annotations', props.annotations),
        () => checkAnnotations(this, 'podAnnotations', props.podAnnotations),
        () => rolloutStrategy(this, props.rollout),
        ...(['serviceName', 'serviceType', 'servicePort', 'nodePort', 'ingress'] as const).map((field) => () => {
          if (props.port === undefined && props[field] !== undefined) {
            throw invalidProp(this, field, props[field], 'needs a `port`: an app without a port gets no Service');
          }
        }),
        () => checkPodTemplate(this, { container: props, defaults: WEB_APP_DEFAULTS, ports, containerName: props.name }),
      ]);
      this.name = props.name;
      const replicas = props.replicas ?? 1;

      this.namespace = namespaceOf(this);
      this.selectorLabels = selectorLabelsFor(this.name);
      this.containerPorts = ports;
      this.containerRequests = [mergeResources(WEB_APP_DEFAULTS.resources, props.resources).requests ?? {}];
      this.connections = new Connections(this);
      const labels = workloadLabels(this, this.name, props.labels);

      this.scaleTargetRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: `${this.name}-deployment` };
      this.deployment = createWebDeployment(this, {
        name: this.name,
        containerName: this.name,
        container: props,
        labels,
        selectorLabels: this.selectorLabels,
        annotations: props.annotations,
        podAnnotations: props.podAnnotations,
        ports: this.containerPorts,
        replicas: () => (this.autoscaled ? undefined : replicas),
        rollout: props.rollout,
        spreadAcrossNodes: props.spreadAcrossNodes,
      });

      if (props.port !== undefined) {
        const serviceOptions = {
          name: this.name,
          serviceName: props.serviceName,
          port: props.servicePort ?? props.port,
          targetPort: portName,
          serviceType: props.serviceType,
          nodePort: props.nodePort,
          labels,
        };
        if (props.ingress) {
          this.ingress = new IngressedService(this, 'Ingressed', { ...serviceOptions, ...props.ingress, target: this });
          this.service = this.ingress.service;
          this.servicePort = this.ingress.servicePort;
        } else {
          ({ service: this.service, port: this.servicePort } = createService(this, 'Service', { ...serviceOptions, target: this }));
        }
      }
      ({ disruptionBudget: this.disruptionBudget, networkPolicy: this.networkPolicy } = addProtection(
        this, props, () => (this.autoscaled ? undefined : replicas)));
    } catch (error) {
      throw removeHalfBuilt(this, error);
    }
  }

  public releaseReplicasToAutoscaler(): void {
    if (this.autoscaled) throw alreadyAutoscaled(this);
    this.autoscaled = true;
  }

  /** `host:port` of the app's Service inside the cluster, e.g. `backend-service.default.svc.cluster.local:40001`. */
  public serviceAddress(clusterDomain = 'cluster.local'): string {
    if (!this.service) throw invalidProp(this, 'serviceAddress', this.name, 'the app has no port and so no Service');
    return `${this.service.name}.${this.namespace}.svc.${clusterDomain}:${this.servicePort}`;
  }
}

/** The Deployment strategy for `rollout`, checked; `undefined` keeps Kubernetes' defaults. */
export function rolloutStrategy(scope: Construct, rollout: RolloutProps | undefined): k8s.DeploymentStrategy | undefined {
  if (!rollout) return undefined;
  checkAll(scope, [
    () => checkIntOrPercent(scope, 'rollout.maxSurge', rollout.maxSurge),
    () => checkIntOrPercent(scope, 'rollout.maxUnavailable', rollout.maxUnavailable),
  ]);
  const { maxSurge: surge, maxUnavailable: unavailable } = rollout;
  if (isZeroIntOrPercent(rollout.maxSurge) && isZeroIntOrPercent(rollout.maxUnavailable)) {
    throw invalidProp(scope, 'rollout', rollout, 'maxSurge and maxUnavailable cannot both be zero: the rollout could never replace a pod');
  }
  const rollingUpdate = {
    maxSurge: surge === undefined ? undefined : intOrStringValue(surge),
    maxUnavailable: unavailable === undefined ? undefined : intOrStringValue(unavailable),
  };
  return { type: 'RollingUpdate', rollingUpdate };
}

/** Best-effort topology spread of the selected pods over nodes. */
export function spreadOverNodes(selectorLabels: Readonly<Record<string, string>>): k8s.TopologySpreadConstraint {
  return {
    maxSkew: 1,
    topologyKey: 'kubernetes.io/hostname',
    whenUnsatisfiable: 'ScheduleAnyway',
    labelSelector: { matchLabels: { ...selectorLabels } },
  };
}

import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { checkDisruptionBudget, WorkloadDisruptionBudget } from './disruption-budget';
import { ProtectionProps } from './protection';
import {
  checkPodTemplate, ContainerPort, PodTemplateProps, ResourceList,
} from './pod-template';
import { checkAll, checkInteger, checkPort, checkPortName, detachOnError, extraPortChecks, invalidProp } from './props';
import { checkWorkloadName, IAutoscalable, WorkloadBase, workloadMetadataChecks, WorkloadMetadataProps } from './workload';
import { checkRollout, createWebDeployment, RolloutProps, WEB_APP_DEFAULTS, webContainerRequests } from './web-deployment';
import { planWebFront, WebFront, WebFrontPlan, WebFrontProps } from './web-front';

export type { RolloutProps } from './web-deployment';
export { WEB_APP_DEFAULTS } from './web-deployment';

/** Props of a {@link WebApp}. */
export interface WebAppProps extends PodTemplateProps, WorkloadMetadataProps, ProtectionProps, WebFrontProps {
  /** Base name: objects are `<name>-deployment`, `<name>-service`, and so on; also the `app.kubernetes.io/name` label. */
  readonly name: string;
  /** Port the container listens on; with it the app gets a Service. @default - no port, no Service (a worker) */
  readonly port?: number;
  /** Name of the container port (probes and Services refer to it). @default 'http' */
  readonly portName?: string;
  /**
   * More ports the container listens on (e.g. a broker's second listener): each is on the Service
   * under its own number and name, and `connections.allowFrom(client)` without ports admits them.
   * Needs a `port`. @default - none
   */
  readonly extraPorts?: readonly ContainerPort[];
  /** Pods to run; ignored once an HpaPolicy targets the app. @default 1 */
  readonly replicas?: number;
  /** Rolling-update settings. @default - Kubernetes' 25% / 25% */
  readonly rollout?: RolloutProps;
  /** Spread pods across nodes (topology spread on `kubernetes.io/hostname`, best effort). @default false */
  readonly spreadAcrossNodes?: boolean;
}

/** The props of the Service, Ingress and HTTPRoute, which need a port. */
const FRONT_FIELDS = ['serviceName', 'serviceType', 'servicePort', 'nodePort', 'ingress', 'route', 'extraPorts'] as const;

/**
 * A stateless application: a Deployment and, when it has a port, a Service (and optionally an
 * Ingress and a Gateway API HTTPRoute). Pods are selected by `app.kubernetes.io/name`, so moving the construct in the tree
 * never changes an immutable selector.
 */
@detachOnError
export class WebApp extends WorkloadBase implements IAutoscalable {
  public readonly deployment: ApiObject;
  /** The Service in front of the pods, when the app has a port. */
  public readonly service?: ApiObject;
  /** The Ingress `<name>-ingress`, when `ingress` is set. */
  public readonly ingress?: ApiObject;
  /** The Gateway API HTTPRoute `<name>-route`, when `route` is set. */
  public readonly httpRoute?: ApiObject;
  /** The port the Service exposes, when the app has a port. */
  public readonly servicePort?: number;
  public readonly disruptionBudget?: WorkloadDisruptionBudget;
  public readonly containerRequests: readonly ResourceList[];
  public readonly scaleTargetRef: { readonly apiVersion: string; readonly kind: string; readonly name: string };

  constructor(scope: Construct, id: string, props: WebAppProps) {
    const portName = props.portName ?? 'http';
    const ports = props.port !== undefined ? [{ name: portName, port: props.port }, ...props.extraPorts ?? []] : [];
    super(scope, id, { name: props.name, labels: props.labels, annotations: props.annotations, image: props.image, containerPorts: ports });
    let front: WebFrontPlan | undefined;
    checkAll(this, [
      () => checkWorkloadName(this, props.name, 'deployment'),
      () => checkInteger(this, 'replicas', props.replicas ?? 1, 0),
      () => props.port !== undefined && checkPort(this, 'port', props.port),
      () => checkPortName(this, 'portName', portName),
      ...extraPortChecks(this, ports),
      ...workloadMetadataChecks(this, props.name, props),
      () => checkRollout(this, props.rollout),
      ...FRONT_FIELDS.map((field) => () => {
        if (props.port === undefined && props[field] !== undefined) {
          throw invalidProp(this, field, props[field], 'needs a `port`: an app without a port gets no Service');
        }
      }),
      () => checkPodTemplate(this, { container: props, defaults: WEB_APP_DEFAULTS, ports, containerName: props.name }),
      () => props.port !== undefined && (front = planWebFront(this, {
        name: props.name,
        props,
        target: { name: props.name, containerPorts: ports },
        targetPort: portName,
      })),
      () => props.disruptionBudget && checkDisruptionBudget(this, props.disruptionBudget),
    ]);
    const replicas = this.replicasUnlessAutoscaled(props.replicas ?? 1);
    this.containerRequests = webContainerRequests(props);
    const labels = this.labels;

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
      replicas,
      rollout: props.rollout,
      spreadAcrossNodes: props.spreadAcrossNodes,
    });
    if (front) {
      const built = new WebFront(this, 'Front', { plan: front, target: this, labels, connections: this.connections });
      this.service = built.service;
      this.servicePort = built.servicePort;
      this.ingress = built.ingress;
      this.httpRoute = built.route;
    }
    this.disruptionBudget = this.protect(props, replicas);
  }

  public releaseReplicasToAutoscaler(): void {
    this.releaseReplicas();
  }

  /** `host:port` of the app's Service inside the cluster, e.g. `backend-service.default.svc.cluster.local:40001`. */
  public serviceAddress(clusterDomain = 'cluster.local'): string {
    if (!this.service) throw invalidProp(this, 'serviceAddress', this.name, 'the app has no port and so no Service');
    return `${this.service.name}.${this.namespace}.svc.${clusterDomain}:${this.servicePort}`;
  }
}

import { ApiObject } from 'cdk8s';
import { k8s, ServiceType } from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { ContainerPort } from './pod-template';
import { checkAll, checkDns1035Label, checkOneOf, checkPort, invalidProp, isDns1123Label } from './props';
import { Peer } from './peer';
import { findPort, IConnections, IPodTarget } from './pod-target';
import { createJsonFormObject, intOrStringValue } from './json-form';
import { mergedRecord } from './records';

/** What every Service of ours needs: the pods, the port, and how it is reached. */
export interface ServiceOptions {
  /** Base name; the Service is `<name>-service` unless `serviceName` is given. */
  readonly name: string;
  /**
   * The exact name of the Service, e.g. the host name clients already use (a compose service's
   * name). It must be a DNS-1035 label. @default `<name>-service`
   */
  readonly serviceName?: string;
  /** The pods behind the Service. */
  readonly target: IPodTarget;
  /** Port the Service exposes. @default - the target's first port */
  readonly port?: number;
  /** Container port (number or name) traffic goes to. @default - the container port matching `port`, else the first */
  readonly targetPort?: number | string;
  /** @default ServiceType.CLUSTER_IP */
  readonly serviceType?: ServiceType;
  /** Fixed node port (30000–32767), for NodePort Services. @default - assigned by Kubernetes */
  readonly nodePort?: number;
  /** A headless Service (`clusterIP: None`), for StatefulSet pod DNS names. @default false */
  readonly headless?: boolean;
  /** Labels of the Service. @default - the target's labels */
  readonly labels?: Readonly<Record<string, string>>;
}

const SERVICE_TYPES = [ServiceType.CLUSTER_IP, ServiceType.NODE_PORT, ServiceType.LOAD_BALANCER] as const;

/** A Service and the port it exposes. */
export interface CreatedService {
  readonly service: ApiObject;
  readonly port: number;
}

/** What {@link planService} needs of the pods: their name and ports. @internal */
export type ServiceTargetPorts = Pick<IPodTarget, 'name' | 'containerPorts'>;

/**
 * A Service's options resolved and checked by {@link planService}: everything {@link buildService}
 * needs besides the selector of the pods, which may not exist yet when the props are checked.
 * @internal
 */
export interface ServicePlan {
  /** `metadata.name`. */
  readonly serviceName: string;
  /** The port the Service exposes. */
  readonly port: number;
  /** The container port it sends traffic to. */
  readonly served: ContainerPort;
  /** The pods' other container ports, each exposed on its own number and name. */
  readonly others: readonly ContainerPort[];
  /** `spec.type`; `undefined` for a headless Service. */
  readonly type?: ServiceType;
  /** A headless Service (`clusterIP: None`). */
  readonly headless: boolean;
  readonly nodePort?: number;
  /** Annotations of the Service. @default - none */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** How the caller of {@link planService} names what it checks itself. @internal */
export interface ServicePlanFields {
  /** The prop the port came from, e.g. a WebApp's `servicePort`. @default 'port' */
  readonly port?: string;
  /**
   * The caller checks `name` as a DNS-1123 label itself: a name that is none is reported there
   * only, not a second time as a bad Service name. @default false
   */
  readonly nameChecked?: boolean;
}

/**
 * Checks the options of a Service and resolves them into the {@link ServicePlan} the build uses;
 * throws one {@link PropsError} with every problem.
 * @internal
 */
export function planService(
  scope: IConstruct, options: Omit<ServiceOptions, 'target'> & { readonly target: ServiceTargetPorts }, fields: ServicePlanFields = {},
): ServicePlan {
  const { target } = options;
  let serviceName = '';
  let served: ContainerPort | undefined;
  let type = ServiceType.CLUSTER_IP;
  checkAll(scope, [
    () => {
      if (options.serviceName === undefined && fields.nameChecked && !isDns1123Label(options.name)) return;
      serviceName = serviceNameOf(scope, options);
    },
    () => {
      if (!target.containerPorts.length) {
        throw invalidProp(scope, 'target', target.name, 'the target declares no container port, so a Service would have nothing to send traffic to');
      }
      served = servedPort(scope, options);
    },
    () => options.port !== undefined && checkPort(scope, fields.port ?? 'port', options.port),
    () => {
      type = checkOneOf(scope, 'serviceType', options.serviceType ?? ServiceType.CLUSTER_IP, SERVICE_TYPES);
      checkAll(scope, [
        () => {
          if (options.nodePort === undefined) return;
          if (type === ServiceType.CLUSTER_IP) throw invalidProp(scope, 'nodePort', options.nodePort, 'needs serviceType NodePort or LoadBalancer');
          if (!Number.isInteger(options.nodePort) || options.nodePort < 30000 || options.nodePort > 32767) {
            throw invalidProp(scope, 'nodePort', options.nodePort, 'must be in the default node port range 30000–32767');
          }
        },
        () => {
          if (options.headless && type !== ServiceType.CLUSTER_IP) throw invalidProp(scope, 'serviceType', type, 'a headless Service must be ClusterIP');
        },
      ]);
    },
  ]);
  const headless = options.headless ?? false;
  const port = options.port ?? served!.port;
  const others = target.containerPorts.filter((p) => p !== served);
  // Without a `port`, a clash is two container ports with one number: the workload's own checks report that.
  const clash = options.port === undefined ? undefined : others.find((p) => p.port === port);
  if (clash) {
    throw invalidProp(scope, fields.port ?? 'port', port, `must differ from the pods' other port ${clash.name}=${clash.port}, which the Service exposes on its own number`);
  }
  return {
    serviceName,
    port,
    served: served!,
    others,
    type: headless ? undefined : type,
    headless,
    nodePort: options.nodePort,
  };
}

function serviceNameOf(scope: IConstruct, options: Pick<ServiceOptions, 'name' | 'serviceName'>): string {
  return options.serviceName === undefined
    ? checkDns1035Label(scope, 'service name (as "<name>-service")', `${options.name}-service`)
    : checkDns1035Label(scope, 'serviceName', options.serviceName);
}

/** The container port the Service sends traffic to. */
function servedPort(scope: IConstruct, options: Pick<ServiceOptions, 'port' | 'targetPort'> & { readonly target: ServiceTargetPorts }): ContainerPort {
  const { target } = options;
  const targetPortSpec = options.targetPort ?? (options.port !== undefined && findPort(target, options.port) ? options.port : target.containerPorts[0].name);
  const served = findPort(target, targetPortSpec);
  if (!served) {
    const ports = target.containerPorts.map((p) => `${p.name}=${p.port}`).join(', ');
    throw invalidProp(scope, 'targetPort', targetPortSpec, `must be a port the pods of ${target.name} serve (${ports})`);
  }
  return served;
}

/** Every IPv4 address, as a NetworkPolicy `ipBlock`: the sources a Service reached from outside the cluster admits. */
export const EVERY_IPV4_ADDRESS = '0.0.0.0/0';

/**
 * Admits every IPv4 address ({@link EVERY_IPV4_ADDRESS}) on each container port a NodePort or
 * LoadBalancer Service sends traffic to, and does nothing for a ClusterIP or headless Service:
 * connections through a node port or a load balancer come from outside the cluster (or from a node,
 * after kube-proxy rewrote the source), never from a pod that a selector names, so without this
 * rule a policy that admits only declared peers refuses them all. Every port of such a Service is
 * open on the nodes, so every one is admitted.
 */
function admitFromOutside(connections: IConnections, plan: ServicePlan): void {
  if (plan.type !== ServiceType.NODE_PORT && plan.type !== ServiceType.LOAD_BALANCER) return;
  connections.allowFrom(Peer.ipBlock(EVERY_IPV4_ADDRESS), ...[plan.served, ...plan.others].map((p) => p.port));
}

/**
 * A Service selecting `target`'s pods: `port` to the target port, and every other port the pods
 * declare on its own number and name, so that no port of the pods is left unreachable by the
 * Service's name. Refuses a target port the pods do not serve, which Kubernetes would accept and
 * then answer with refused connections. A NodePort or LoadBalancer Service makes the target's
 * policy admit every IPv4 address on its ports, as a WebApp's does.
 */
export function createService(scope: Construct, id: string, options: ServiceOptions): CreatedService {
  return buildService(scope, id, planService(scope, options), options.target, options.labels ?? options.target.labels, options.target.connections);
}

/**
 * The Service of a {@link ServicePlan}, selecting `target`'s pods and labelled `labels`: the plan
 * was checked when it was made, nothing is checked again. A NodePort or LoadBalancer Service makes
 * `connections`, the policy of the pods it sends to, admit every address on its ports ({@link admitFromOutside}).
 * @internal
 */
export function buildService(
  scope: Construct, id: string, plan: ServicePlan, target: Pick<IPodTarget, 'selectorLabels'>, labels: Readonly<Record<string, string>>, connections: IConnections,
): CreatedService {
  admitFromOutside(connections, plan);
  const service = createJsonFormObject(k8s.KubeService, scope, id, {
    metadata: {
      name: plan.serviceName,
      labels: mergedRecord(labels),
      annotations: plan.annotations && mergedRecord(plan.annotations),
    },
    spec: {
      type: plan.type,
      // The API spells it clusterIP; the L1 type calls it clusterIp.
      ...(plan.headless ? { clusterIP: 'None' } : {}),
      selector: mergedRecord(target.selectorLabels),
      ports: [
        { name: plan.served.name, port: plan.port, targetPort: intOrStringValue(plan.served.name), protocol: 'TCP', nodePort: plan.nodePort },
        ...plan.others.map((other) => ({ name: other.name, port: other.port, targetPort: intOrStringValue(other.name), protocol: 'TCP' })),
      ],
    },
  });
  return { service, port: plan.port };
}

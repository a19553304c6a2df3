import { ApiObject } from 'cdk8s';
import { k8s, ServiceType } from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { ContainerPort } from './pod-template';
import { checkAll, checkDns1035Label, checkOneOf, checkPort, invalidProp, isDns1123Label } from './props';
import { findPort, IPodTarget } from './pod-target';
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
  /** Labels of the Service. @default - the target's selector labels */
  readonly labels?: Readonly<Record<string, string>>;
}

const SERVICE_TYPES = [ServiceType.CLUSTER_IP, ServiceType.NODE_PORT, ServiceType.LOAD_BALANCER] as const;

/** A Service and the port it exposes. */
export interface CreatedService {
  readonly service: ApiObject;
  readonly port: number;
}

/** What {@link checkServiceOptions} needs of the pods: their name and ports. @internal */
export type ServiceTargetPorts = Pick<IPodTarget, 'name' | 'containerPorts'>;

/**
 * Checks the options of a Service and throws one {@link PropsError} with every problem;
 * `portField` names the prop the port came from (a WebApp's `servicePort`).
 * @internal
 */
export function checkServiceOptions(
  scope: IConstruct, options: Omit<ServiceOptions, 'target'> & { readonly target: ServiceTargetPorts }, portField = 'port',
): void {
  const { target } = options;
  checkAll(scope, [
    // A name that is no DNS label is the name check's problem, not a second one here.
    () => (options.serviceName !== undefined || isDns1123Label(options.name)) && serviceNameOf(scope, options),
    () => {
      if (!target.containerPorts.length) {
        throw invalidProp(scope, 'target', target.name, 'the target declares no container port, so a Service would have nothing to send traffic to');
      }
      servedPort(scope, options);
    },
    () => options.port !== undefined && checkPort(scope, portField, options.port),
    () => {
      const type = checkOneOf(scope, 'serviceType', options.serviceType ?? ServiceType.CLUSTER_IP, SERVICE_TYPES);
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

/**
 * A Service selecting `target`'s pods. Refuses a target port the pods do not serve, which
 * Kubernetes would accept and then answer with refused connections.
 */
export function createService(scope: Construct, id: string, options: ServiceOptions): CreatedService {
  checkServiceOptions(scope, options);
  return createCheckedService(scope, id, options);
}

/**
 * {@link createService} for options the construct has passed through {@link checkServiceOptions}
 * among its own checks already (a WebApp does, with its `servicePort`); they are not checked again.
 * @internal
 */
export function createCheckedService(scope: Construct, id: string, options: ServiceOptions): CreatedService {
  const { target } = options;
  const serviceName = serviceNameOf(scope, options);
  const served = servedPort(scope, options);
  const type = options.serviceType ?? ServiceType.CLUSTER_IP;
  const port = options.port ?? served.port;
  const service = createJsonFormObject(k8s.KubeService, scope, id, {
    metadata: { name: serviceName, labels: mergedRecord(options.labels ?? target.selectorLabels) },
    spec: {
      type: options.headless ? undefined : type,
      // The API spells it clusterIP; the L1 type calls it clusterIp.
      ...(options.headless ? { clusterIP: 'None' } : {}),
      selector: mergedRecord(target.selectorLabels),
      ports: [{
        name: served.name,
        port,
        targetPort: intOrStringValue(served.name),
        protocol: 'TCP',
        nodePort: options.nodePort,
      }],
    },
  });
  return { service, port };
}

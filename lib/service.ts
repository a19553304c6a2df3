import { k8s, ServiceType } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { checkDns1035Label, checkOneOf, checkPort, invalidProp } from './props';
import { findPort, IPodTarget } from './pod-target';
import { createJsonFormObject, intOrStringValue } from './json-form';

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
  readonly service: k8s.KubeService;
  readonly port: number;
}

/**
 * A Service selecting `target`'s pods. Refuses a target port the pods do not serve, which
 * Kubernetes would accept and then answer with refused connections.
 */
export function createService(scope: Construct, id: string, options: ServiceOptions): CreatedService {
  const serviceName = options.serviceName === undefined
    ? checkDns1035Label(scope, 'service name (as "<name>-service")', `${options.name}-service`)
    : checkDns1035Label(scope, 'serviceName', options.serviceName);
  const { target } = options;
  if (!target.containerPorts.length) {
    throw invalidProp(scope, 'target', target.name, 'the target declares no container port, so a Service would have nothing to send traffic to');
  }
  if (options.port !== undefined) checkPort(scope, 'port', options.port);
  const targetPortSpec = options.targetPort ?? (options.port !== undefined && findPort(target, options.port) ? options.port : target.containerPorts[0].name);
  const served = findPort(target, targetPortSpec);
  if (!served) {
    const ports = target.containerPorts.map((p) => `${p.name}=${p.port}`).join(', ');
    throw invalidProp(scope, 'targetPort', targetPortSpec, `must be a port the pods of ${target.name} serve (${ports})`);
  }
  const type = checkOneOf(scope, 'serviceType', options.serviceType ?? ServiceType.CLUSTER_IP, SERVICE_TYPES);
  if (options.nodePort !== undefined) {
    if (type === ServiceType.CLUSTER_IP) throw invalidProp(scope, 'nodePort', options.nodePort, 'needs serviceType NodePort or LoadBalancer');
    if (!Number.isInteger(options.nodePort) || options.nodePort < 30000 || options.nodePort > 32767) {
      throw invalidProp(scope, 'nodePort', options.nodePort, 'must be in the default node port range 30000–32767');
    }
  }
  if (options.headless && type !== ServiceType.CLUSTER_IP) {
    throw invalidProp(scope, 'serviceType', type, 'a headless Service must be ClusterIP');
  }
  const port = options.port ?? served.port;
  const service = createJsonFormObject(k8s.KubeService, scope, id, {
    metadata: { name: serviceName, labels: { ...(options.labels ?? target.selectorLabels) } },
    spec: {
      type: options.headless ? undefined : type,
      // The API spells it clusterIP; the L1 type calls it clusterIp.
      ...(options.headless ? { clusterIP: 'None' } : {}),
      selector: { ...target.selectorLabels },
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

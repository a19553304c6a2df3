import { ApiObject } from 'cdk8s';
import { HttpIngressPathType, k8s } from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { checkAll, checkAnnotations, checkDns1123Label, checkDns1123Subdomain, checkOneOf, detachOnError, invalidProp } from './props';
import { buildService, planService, ServiceOptions, ServicePlan } from './service';
import { createJsonFormObject } from './json-form';
import { Peer } from './peer';

/** TLS for an Ingress host. @inline */
export interface IngressTlsProps {
  /** Secret holding the certificate (`tls.crt`, `tls.key`); cert-manager can issue it. */
  readonly secretName: string;
}

/** The routing half of an {@link IngressedService}: how a host name reaches the Service. */
export interface IngressOptions {
  /** Host name the Ingress routes, e.g. `frontend.localhost`. */
  readonly host: string;
  /** URL path prefix. @default '/' */
  readonly path?: string;
  /** @default HttpIngressPathType.PREFIX */
  readonly pathType?: HttpIngressPathType;
  /** Ingress class, e.g. `nginx`. @default - the cluster's default class */
  readonly ingressClassName?: string;
  /** Annotations for the ingress controller (or cert-manager). @default - none */
  readonly annotations?: Readonly<Record<string, string>>;
  /** Serve the host over TLS with this Secret's certificate. @default - plain HTTP */
  readonly tls?: IngressTlsProps;
  /**
   * The ingress controller's pods, e.g. `Peer.ingressController('ingress-nginx')`: the NetworkPolicy
   * of the pods behind the Service admits them on the port it targets. Required: the policy admits
   * only declared peers, so without it every request the controller forwards would be refused.
   */
  readonly controller: Peer;
}

/** Props of an {@link IngressedService}. */
export interface IngressedServiceProps extends ServiceOptions, IngressOptions {}

const PATH_TYPES = [HttpIngressPathType.PREFIX, HttpIngressPathType.EXACT, HttpIngressPathType.IMPLEMENTATION_SPECIFIC] as const;

/** The routing options of an Ingress resolved and checked by {@link planIngress}. @internal */
export interface IngressPlan {
  readonly host: string;
  readonly path: string;
  readonly pathType: HttpIngressPathType;
  readonly ingressClassName?: string;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly tls?: IngressTlsProps;
  /** The controller's pods, admitted by the target's NetworkPolicy. */
  readonly controller: Peer;
}

/**
 * Checks the routing options of an Ingress and resolves their defaults; throws one
 * {@link PropsError} with every problem. `prefix` names where they sit in the caller's props
 * (a WebApp's `ingress.`).
 * @internal
 */
export function planIngress(scope: IConstruct, options: IngressOptions, prefix = ''): IngressPlan {
  const path = options.path ?? '/';
  const pathType = options.pathType ?? HttpIngressPathType.PREFIX;
  checkAll(scope, [
    () => checkDns1123Subdomain(scope, `${prefix}host`, options.host),
    () => {
      if (typeof path !== 'string' || !path.startsWith('/')) throw invalidProp(scope, `${prefix}path`, path, 'must start with "/"');
    },
    () => checkOneOf(scope, `${prefix}pathType`, pathType, PATH_TYPES),
    () => options.ingressClassName !== undefined && checkDns1123Subdomain(scope, `${prefix}ingressClassName`, options.ingressClassName),
    () => options.tls && checkDns1123Subdomain(scope, `${prefix}tls.secretName`, options.tls.secretName),
    () => checkAnnotations(scope, `${prefix}annotations`, options.annotations),
    () => {
      if (!(options.controller instanceof Peer)) {
        throw invalidProp(scope, `${prefix}controller`, options.controller,
          'must be the ingress controller\'s pods, e.g. Peer.ingressController(\'ingress-nginx\') or Peer.ingressController(namespace, podLabels): '
          + 'the NetworkPolicy admits only declared peers and would refuse every request the controller forwards');
      }
    },
  ]);
  return {
    host: options.host, path, pathType, ingressClassName: options.ingressClassName, annotations: options.annotations, tls: options.tls, controller: options.controller,
  };
}

/** What {@link buildIngress} routes to and labels the Ingress with. @internal */
export interface IngressBackend {
  /** The Service requests go to. */
  readonly service: ApiObject;
  /** Its port. */
  readonly port: number;
  /** Labels of the Ingress. @default - none */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * The Ingress `<name>-ingress` of a checked {@link IngressPlan}, routing its host and path to
 * `backend`'s Service; nothing is checked again.
 * @internal
 */
export function buildIngress(scope: Construct, id: string, name: string, plan: IngressPlan, backend: IngressBackend): ApiObject {
  return createJsonFormObject(k8s.KubeIngress, scope, id, {
    metadata: { name: `${name}-ingress`, labels: backend.labels && { ...backend.labels }, annotations: plan.annotations && { ...plan.annotations } },
    spec: {
      ingressClassName: plan.ingressClassName,
      tls: plan.tls ? [{ hosts: tlsHosts(plan.host, plan.annotations), secretName: plan.tls.secretName }] : undefined,
      rules: [{
        host: plan.host,
        http: {
          paths: [{
            path: plan.path,
            pathType: plan.pathType,
            backend: { service: { name: backend.service.name, port: { number: backend.port } } },
          }],
        },
      }],
    },
  });
}

/**
 * A Service in front of a workload's pods plus an Ingress routing a host to it
 * (`<name>-service`, `<name>-ingress`); the workload's NetworkPolicy admits the ingress
 * `controller` on the Service's target port. Refuses a port the pods do not serve.
 */
@detachOnError
export class IngressedService extends Construct {
  public readonly service: ApiObject;
  public readonly ingress: ApiObject;
  /** The port the Service exposes and the Ingress routes to. */
  public readonly servicePort: number;

  constructor(scope: Construct, id: string, props: IngressedServiceProps) {
    super(scope, id);
    let ingress: IngressPlan | undefined;
    let service: ServicePlan | undefined;
    checkAll(this, [
      () => checkDns1123Label(this, 'name', props.name),
      () => (ingress = planIngress(this, props)),
      () => (service = planService(this, props, { nameChecked: true })),
    ]);
    const labels = props.labels ?? props.target.labels;
    ({ service: this.service, port: this.servicePort } = buildService(this, 'Service', service!, props.target, labels, props.target.connections));
    props.target.connections.allowFrom(ingress!.controller, service!.served.port);
    this.ingress = buildIngress(this, 'Ingress', props.name, ingress!, { service: this.service, port: this.servicePort, labels });
  }
}

const WWW_REDIRECT = 'nginx.ingress.kubernetes.io/from-to-www-redirect';

/**
 * The names the certificate must cover. With ingress-nginx's www redirect the other name is
 * served too (to redirect it), and TLS fails before the redirect unless the certificate has it.
 */
function tlsHosts(host: string, annotations: Readonly<Record<string, string>> | undefined): string[] {
  if (annotations?.[WWW_REDIRECT] !== 'true') return [host];
  return [host, host.startsWith('www.') ? host.slice(4) : `www.${host}`];
}

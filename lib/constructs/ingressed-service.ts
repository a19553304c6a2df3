import { ApiObject } from 'cdk8s';
import { HttpIngressPathType, k8s } from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { checkAll, checkAnnotations, checkDns1123Label, checkDns1123Subdomain, checkOneOf, detachOnError, invalidProp } from './props';
import { checkServiceOptions, createService, ServiceOptions } from './service';
import { createJsonFormObject } from './json-form';

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
}

/** Props of an {@link IngressedService}. */
export interface IngressedServiceProps extends ServiceOptions, IngressOptions {}

const PATH_TYPES = [HttpIngressPathType.PREFIX, HttpIngressPathType.EXACT, HttpIngressPathType.IMPLEMENTATION_SPECIFIC] as const;

/**
 * Checks the routing options of an Ingress and throws one {@link PropsError} with every problem;
 * `prefix` names where they sit in the caller's props (a WebApp's `ingress.`).
 * @internal
 */
export function checkIngressOptions(scope: IConstruct, options: IngressOptions, prefix = ''): void {
  const path = options.path ?? '/';
  checkAll(scope, [
    () => checkDns1123Subdomain(scope, `${prefix}host`, options.host),
    () => {
      if (typeof path !== 'string' || !path.startsWith('/')) throw invalidProp(scope, `${prefix}path`, path, 'must start with "/"');
    },
    () => checkOneOf(scope, `${prefix}pathType`, options.pathType ?? HttpIngressPathType.PREFIX, PATH_TYPES),
    () => options.ingressClassName !== undefined && checkDns1123Subdomain(scope, `${prefix}ingressClassName`, options.ingressClassName),
    () => options.tls && checkDns1123Subdomain(scope, `${prefix}tls.secretName`, options.tls.secretName),
    () => checkAnnotations(scope, `${prefix}annotations`, options.annotations),
  ]);
}

/**
 * A Service in front of a workload's pods plus an Ingress routing a host to it
 * (`<name>-service`, `<name>-ingress`). Refuses a port the pods do not serve.
 */
@detachOnError
export class IngressedService extends Construct {
  public readonly service: ApiObject;
  public readonly ingress: ApiObject;
  /** The port the Service exposes and the Ingress routes to. */
  public readonly servicePort: number;

  constructor(scope: Construct, id: string, props: IngressedServiceProps) {
    super(scope, id);
    checkAll(this, [
      () => checkDns1123Label(this, 'name', props.name),
      () => checkIngressOptions(this, props),
      () => checkServiceOptions(this, props),
    ]);
    const path = props.path ?? '/';
    const pathType = props.pathType ?? HttpIngressPathType.PREFIX;

    const { service, port: servicePort } = createService(this, 'Service', props);
    this.service = service;
    this.servicePort = servicePort;
    this.ingress = createJsonFormObject(k8s.KubeIngress, this, 'Ingress', {
      metadata: { name: `${props.name}-ingress`, labels: props.labels && { ...props.labels }, annotations: props.annotations && { ...props.annotations } },
      spec: {
        ingressClassName: props.ingressClassName,
        tls: props.tls ? [{ hosts: tlsHosts(props.host, props.annotations), secretName: props.tls.secretName }] : undefined,
        rules: [{
          host: props.host,
          http: {
            paths: [{
              path,
              pathType,
              backend: { service: { name: this.service.name, port: { number: servicePort } } },
            }],
          },
        }],
      },
    });
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

import { ApiObject } from 'cdk8s';
import { ServiceType } from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { GatewayRef, HttpRouteMatchPlan, buildHttpRoute, buildRedirectRoute, planHttpRouteMatch } from './http-route';
import { buildIngress, IngressOptions, IngressPlan, planIngress } from './ingressed-service';
import { checkAll, checkDns1035Label, detachOnError, invalidProp, isDns1123Label } from './props';
import { buildService, planService, ServicePlan, ServiceTargetPorts } from './service';
import { NGINX_CANARY_ANNOTATION, NGINX_CANARY_WEIGHT_ANNOTATION, RELEASE_MIXED_VERSIONS_ANNOTATION } from '../manifest/release-labels';
import { Peer } from './peer';
import { IConnections, IPodTarget } from './pod-target';

/** How a web app is reached: the props of its Service and Ingress, shared by {@link WebApp} and {@link ReleasedWebApp}. */
export interface WebFrontProps {
  /**
   * The exact name of the Service, e.g. the host name clients already use (`backend` for a
   * compose service): a DNS-1035 label. Needs a `port`. @default `<name>-service`
   */
  readonly serviceName?: string;
  /**
   * Service type. A NodePort or LoadBalancer Service is reached from outside the cluster, so the
   * app's NetworkPolicy admits every IPv4 address (`Peer.ipBlock('0.0.0.0/0')`) on each of the
   * Service's ports by itself (IPv6 sources are not admitted). @default ServiceType.CLUSTER_IP
   */
  readonly serviceType?: ServiceType;
  /** Port the Service exposes. @default - the container port */
  readonly servicePort?: number;
  /** Fixed node port, for `ServiceType.NODE_PORT`. @default - assigned by Kubernetes */
  readonly nodePort?: number;
  /** Also route a host name to the Service through an Ingress, whose `controller` the app's NetworkPolicy admits. @default - no Ingress */
  readonly ingress?: IngressOptions;
  /**
   * Also route requests to the Service through a Gateway API HTTPRoute `<name>-route`, attached
   * to Gateways the platform runs (a canary release's route weighs its two Services). Needs a
   * `port`. @default - no HTTPRoute, unless a canary is routed by one
   */
  readonly route?: WebRouteOptions;
}

/** A Gateway API HTTPRoute in front of the app: the Gateways it attaches to and the requests it matches. @inline */
export interface WebRouteOptions {
  /** The Gateways the route attaches to (`spec.parentRefs`). */
  readonly gateways: readonly GatewayRef[];
  /** Host names the route matches. @default - the app's `ingress.host`, else every host of the listener */
  readonly hostnames?: readonly string[];
  /** URL path prefix to match. @default - the app's `ingress.path`, else '/' */
  readonly path?: string;
  /**
   * The pods that forward the Gateways' requests ({@link Peer.gatewayDataPlane}): the app's
   * NetworkPolicy admits them on its port, since it refuses every peer not declared.
   */
  readonly dataPlane: Peer;
  /**
   * Also answer `www.<hostname>` with a permanent redirect (301) to the hostname, as ingress-nginx's
   * `from-to-www-redirect` annotation does: the HTTPRoute `<name>-www-redirect-route` on the same
   * Gateways, whose listener must accept that host too. Needs exactly one hostname, without a wildcard.
   * @default false
   */
  readonly redirectFromWww?: boolean;
}

/** How a canary's share of the traffic reaches the canary Service. @internal */
export type CanaryFrontInput =
  | { readonly weight: number; readonly router: 'ingress-nginx'; readonly routerField: string }
  | { readonly weight: number; readonly router: 'http-route'; readonly route: Partial<WebRouteOptions>; readonly routerField: string };

/** What {@link planWebFront} checks: the app's front props and what it knows of its pods. @internal */
export interface WebFrontInput {
  /** The app's base name, checked by the app (a DNS-1123 label). */
  readonly name: string;
  /** The app's props, of which the front reads its own. */
  readonly props: WebFrontProps;
  /** The app's name and container ports. */
  readonly target: ServiceTargetPorts;
  /** The container port the Services send traffic to. */
  readonly targetPort: string;
  /** One Service over several versions of the app: annotated so, for the validation rules and readers. @default false */
  readonly mixedVersions?: boolean;
  /** A canary Service `<name>-canary-service` and what routes the canary's share to it. @default - no canary */
  readonly canary?: CanaryFrontInput;
}

/** A front's props resolved and checked by {@link planWebFront}: what {@link WebFront} builds. @internal */
export interface WebFrontPlan {
  readonly name: string;
  readonly service: ServicePlan;
  readonly ingress?: IngressPlan;
  /** The HTTPRoute `<name>-route`: to the Service, or weighing it and the canary Service. */
  readonly route?: HttpRouteMatchPlan;
  /** The Gateways' data plane, admitted by the app's NetworkPolicy: set when `route` is. */
  readonly routeDataPlane?: Peer;
  /** The HTTPRoute `<name>-www-redirect-route`, redirecting `from` to `to`, on the route's Gateways. */
  readonly wwwRedirect?: { readonly from: string; readonly to: string };
  readonly canary?: {
    readonly service: ServicePlan;
    readonly weight: number;
    /** What splits the traffic: the canary Ingress, or the weights of the HTTPRoute. */
    readonly router: CanaryFrontInput['router'];
  };
}

/**
 * Checks a web app's front once and resolves it into the plan {@link WebFront} builds; throws one
 * {@link PropsError} with every problem, each named by the prop the user set (`servicePort`,
 * `ingress.host`, `release.router.gateways`) on the app's construct path.
 * @internal
 */
export function planWebFront(scope: IConstruct, input: WebFrontInput): WebFrontPlan {
  const { props, canary } = input;
  let service: ServicePlan | undefined;
  let ingress: IngressPlan | undefined;
  let route: FrontRoutePlan | undefined;
  checkAll(scope, [
    () => (service = planService(scope, {
      name: input.name,
      serviceName: props.serviceName,
      port: props.servicePort,
      targetPort: input.targetPort,
      serviceType: props.serviceType,
      nodePort: props.nodePort,
      target: input.target,
    }, { port: 'servicePort', nameChecked: true })),
    () => props.ingress && (ingress = planIngress(scope, props.ingress, 'ingress.')),
    () => (route = planFrontRoute(scope, props, canary)),
    () => canary && derivedServiceName(scope, input.name, canaryServiceName(input.name), 'name (as "<name>-canary-service")'),
  ]);
  return {
    name: input.name,
    service: { ...service!, annotations: input.mixedVersions ? { [RELEASE_MIXED_VERSIONS_ANNOTATION]: 'true' } : undefined },
    ingress,
    route: route?.match,
    routeDataPlane: route?.dataPlane,
    wwwRedirect: route?.wwwRedirect,
    canary: canary && { service: clusterService(service!, canaryServiceName(input.name)), weight: canary.weight, router: canary.router },
  };
}

function canaryServiceName(name: string): string {
  return `${name}-canary-service`;
}

/**
 * The match of the front's HTTPRoute and the Gateways' data plane, if it has a route. Each of its
 * Gateways, data plane, hostnames and path comes from the first that gives it of the canary's
 * router, the app's `route` and its `ingress` (hostnames and path only), and a problem names that prop.
 */
interface FrontRoutePlan {
  readonly match: HttpRouteMatchPlan;
  readonly dataPlane: Peer;
  readonly wwwRedirect?: { readonly from: string; readonly to: string };
}

function planFrontRoute(scope: IConstruct, props: WebFrontProps, canary: CanaryFrontInput | undefined): FrontRoutePlan | undefined {
  if (canary?.router === 'ingress-nginx') {
    if (!props.ingress) {
      throw invalidProp(scope, canary.routerField, { kind: canary.router },
        'an ingress-nginx canary needs the app\'s `ingress`: the canary Ingress shares its host and path');
    }
    if (props.route) {
      throw invalidProp(scope, canary.routerField, { kind: canary.router },
        'splits only the Ingress\'s traffic, and the app\'s `route` would send every request through the Gateway to the stable version: '
        + 'route the canary with { kind: "http-route" }');
    }
    return undefined;
  }
  const sources = [
    ...(canary ? [{ prefix: `${canary.routerField}.`, options: canary.route }] : []),
    ...(props.route ? [{ prefix: 'route.', options: props.route as Partial<WebRouteOptions> }] : []),
  ];
  if (!sources.length) return undefined;
  const pick = <K extends keyof WebRouteOptions>(key: K) => sources.find((source) => source.options[key] !== undefined);
  const gateways = pick('gateways');
  const dataPlane = pick('dataPlane');
  const hostnames = pick('hostnames');
  const path = pick('path');
  const redirect = pick('redirectFromWww');
  const ingress = props.ingress;
  // A path the Ingress's own check refuses is reported there only.
  const ingressPath = ingress?.path !== undefined && typeof ingress.path === 'string' && ingress.path.startsWith('/') ? ingress.path : undefined;
  let match: HttpRouteMatchPlan | undefined;
  checkAll(scope, [
    () => {
      if (!gateways) {
        throw invalidProp(scope, `${sources[0].prefix}gateways`, undefined, 'must name the Gateways the HTTPRoute attaches to, on the router or in the app\'s `route`');
      }
      match = planHttpRouteMatch(scope, {
        gateways: gateways.options.gateways!,
        hostnames: hostnames?.options.hostnames,
        path: path ? path.options.path : ingressPath,
      }, {
        gateways: `${gateways.prefix}gateways`,
        hostnames: `${hostnames?.prefix ?? sources[0].prefix}hostnames`,
        path: path ? `${path.prefix}path` : 'ingress.path',
      });
    },
    () => {
      if (!(dataPlane?.options.dataPlane instanceof Peer)) {
        throw invalidProp(scope, `${dataPlane?.prefix ?? sources[0].prefix}dataPlane`, dataPlane?.options.dataPlane,
          'must be the Gateways\' data plane, Peer.gatewayDataPlane({ namespace, podLabels }), on the router or in the app\'s `route`: '
          + 'the app\'s NetworkPolicy admits only declared peers and would refuse every request the Gateways forward');
      }
    },
  ]);
  // A host taken from the Ingress is checked there: a DNS-1123 subdomain is a route hostname too.
  const routeHostnames = hostnames?.options.hostnames ?? (ingress ? [ingress.host] : undefined);
  const wwwRedirect = redirect?.options.redirectFromWww ? planWwwRedirect(scope, `${redirect.prefix}redirectFromWww`, routeHostnames) : undefined;
  return { match: { ...match!, hostnames: routeHostnames }, dataPlane: dataPlane!.options.dataPlane!, wwwRedirect };
}

/** The redirect from `www.<host>` to the route's one host. */
function planWwwRedirect(scope: IConstruct, field: string, hostnames: readonly string[] | undefined): { from: string; to: string } {
  const [host] = hostnames ?? [];
  if (hostnames?.length !== 1 || host.startsWith('*.')) {
    throw invalidProp(scope, field, true, `needs the route to have exactly one hostname without a wildcard, the target of the redirect from www.<hostname>; it has ${JSON.stringify(hostnames ?? [])}`);
  }
  if (host.startsWith('www.')) throw invalidProp(scope, field, true, `redirects www.<hostname> to the hostname, which is ${host} already: name the host without www.`);
  const from = `www.${host}`;
  if (from.length > 253) throw invalidProp(scope, field, true, `would redirect from ${from}, longer than the 253 characters of a host name`);
  return { from, to: host };
}

/**
 * The name of a Service named after the app (`<name>-canary-service`): a DNS-1035 label. A name
 * that is no DNS-1123 label is the app's name check's problem alone.
 * @internal
 */
export function derivedServiceName(scope: IConstruct, name: string, serviceName: string, field: string): string {
  return isDns1123Label(name) ? checkDns1035Label(scope, field, serviceName) : serviceName;
}

/** A ClusterIP Service like `main`, on the same ports, under another name. @internal */
export function clusterService(main: ServicePlan, serviceName: string): ServicePlan {
  return { serviceName, port: main.port, served: main.served, others: main.others, type: ServiceType.CLUSTER_IP, headless: false };
}


/** Props of a {@link WebFront}: a plan {@link planWebFront} made, and the pods behind it. @internal */
export interface WebFrontBuild {
  readonly plan: WebFrontPlan;
  /** The pods the Service selects. */
  readonly target: Pick<IPodTarget, 'selectorLabels'>;
  /** The pods the canary Service selects: required when the plan has a canary. @default - no canary */
  readonly canaryTarget?: Pick<IPodTarget, 'selectorLabels'>;
  /** Labels of every object of the front. */
  readonly labels: Readonly<Record<string, string>>;
  /**
   * The app's connections, which admit the ingress controller and the Gateways' data plane of the
   * front's Ingress and route, and every address on the ports of a NodePort or LoadBalancer Service.
   */
  readonly connections: IConnections;
}

/**
 * How a web app is reached, shared by {@link WebApp} and {@link ReleasedWebApp}: the app's Service,
 * its Ingress and its Gateway API HTTPRoute, and for a canary the canary Service with the
 * ingress-nginx canary Ingress or the HTTPRoute weighing the two Services. The app checks its props once with
 * {@link planWebFront}; the front builds the plan and checks nothing again.
 * @internal
 */
@detachOnError
export class WebFront extends Construct {
  /** `<name>-service`, or the `serviceName`. */
  public readonly service: ApiObject;
  /** The port the Services expose. */
  public readonly servicePort: number;
  /** `<name>-ingress`, when the app has an `ingress`. */
  public readonly ingress?: ApiObject;
  /** `<name>-canary-service`, selecting the canary version. */
  public readonly canaryService?: ApiObject;
  /** `<name>-canary-ingress`, for a canary by ingress-nginx. */
  public readonly canaryIngress?: ApiObject;
  /** `<name>-route`, when the app has a `route` or a canary is routed by the Gateway API. */
  public readonly route?: ApiObject;
  /** `<name>-www-redirect-route`, when the route has `redirectFromWww`. */
  public readonly wwwRedirectRoute?: ApiObject;

  constructor(scope: Construct, id: string, props: WebFrontBuild) {
    super(scope, id);
    const { plan, labels } = props;
    ({ service: this.service, port: this.servicePort } = buildService(this, 'Service', plan.service, props.target, labels, props.connections));
    const port = this.servicePort;
    if (plan.ingress) {
      props.connections.allowFrom(plan.ingress.controller, plan.service.served.port);
      this.ingress = buildIngress(this, 'Ingress', plan.name, plan.ingress, { service: this.service, port, labels });
    }
    const canary = plan.canary;
    if (canary) {
      this.canaryService = buildService(this, 'CanaryService', canary.service, props.canaryTarget!, labels, props.connections).service;
      if (canary.router === 'ingress-nginx') {
        // ingress-nginx adds the canary Ingress (same class, host and path) to the primary's server.
        const canaryRouting = { ...plan.ingress!, tls: undefined, annotations: { [NGINX_CANARY_ANNOTATION]: 'true', [NGINX_CANARY_WEIGHT_ANNOTATION]: String(canary.weight) } };
        this.canaryIngress = buildIngress(this, 'CanaryIngress', `${plan.name}-canary`, canaryRouting, { service: this.canaryService, port, labels });
      }
    }
    if (plan.route) {
      props.connections.allowFrom(plan.routeDataPlane!);
      // Blue/green switches by the Service selector, not by this route's backend: in-cluster clients
      // call the Service directly, so a switch of the route alone would leave them on the old version.
      this.route = buildHttpRoute(this, 'HttpRoute', {
        name: plan.name,
        match: plan.route,
        labels,
        backends: canary && this.canaryService
          ? [{ service: this.service, port, weight: 100 - canary.weight }, { service: this.canaryService, port, weight: canary.weight }]
          : [{ service: this.service, port }],
      });
      if (plan.wwwRedirect) {
        this.wwwRedirectRoute = buildRedirectRoute(this, 'WwwRedirectRoute', {
          name: `${plan.name}-www-redirect`, gateways: plan.route.gateways, fromHost: plan.wwwRedirect.from, toHost: plan.wwwRedirect.to, labels,
        });
      }
    }
  }
}

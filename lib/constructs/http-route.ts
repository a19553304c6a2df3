import { ApiObject, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import type * as HttpRouteImport from '../../imports/httproute-gateway.networking.k8s.io';
import { createJsonFormObject } from './json-form';
import { NAME_LABEL, recommendedLabels } from './labels';
import {
  checkAll,
  checkAnnotations,
  checkDns1123Label,
  checkDns1123Subdomain,
  checkInteger,
  checkLabels,
  checkOneOf,
  checkPort,
  detachOnError,
  invalidProp,
} from './props';
import { httpRouteLimits, httpRoutePathProblem } from '../validation/http-route';

/** The Gateway (listener) an {@link HttpRoute} attaches to: one `parentRefs` entry. @inline */
export interface GatewayRef {
  /** Name of the Gateway. */
  readonly name: string;
  /** Namespace of the Gateway. @default - the route's namespace */
  readonly namespace?: string;
  /** Name of one listener of the Gateway. @default - every listener that allows the route */
  readonly sectionName?: string;
}

/**
 * One weighted backend of an {@link HttpRoute}: a Service port and its share of the traffic.
 * Each backend receives `weight / (sum of all weights)` of the requests.
 * @inline
 */
export interface HttpRouteBackend {
  /** The Service to send requests to; referenced by name, in its own namespace. */
  readonly service: ApiObject;
  /** The Service port (`spec.ports[].port`) to send them to. */
  readonly port: number;
  /** Relative share of the traffic: an integer from 0 (none) to 1000000. @default 1 */
  readonly weight?: number;
}

/** Props of an {@link HttpRoute}. */
export interface HttpRouteProps {
  /** Base name: the HTTPRoute is `<name>-route`. */
  readonly name: string;
  /** Namespace of the HTTPRoute. @default - the chart's namespace */
  readonly namespace?: string;
  /** The Gateways it attaches to (`spec.parentRefs`): at least one. */
  readonly gateways: readonly GatewayRef[];
  /** Host names it matches (`spec.hostnames`), e.g. `shop.example.com` or `*.example.com`. @default - every host of the listener */
  readonly hostnames?: readonly string[];
  /** URL path to match. @default '/' */
  readonly path?: string;
  /** How `path` matches: a path prefix (by whole segments) or the exact path. @default 'PathPrefix' */
  readonly pathType?: 'PathPrefix' | 'Exact';
  /** Where matching requests go, with their weights: at least one, at most 16 (the CRD's limit). */
  readonly backends: readonly HttpRouteBackend[];
  /** Labels of the HTTPRoute, over the recommended ones. @default - the chart's recommended labels and `app.kubernetes.io/name: <name>` */
  readonly labels?: Readonly<Record<string, string>>;
  /** Annotations of the HTTPRoute. @default - none */
  readonly annotations?: Readonly<Record<string, string>>;
}

const PATH_TYPES = ['PathPrefix', 'Exact'] as const;

/**
 * The L1 class `cdk8s import` generated from the CRD, loaded on first use: the module is 8000
 * lines, and loading it with lib/ would add about 15 ms to every synth that routes nothing.
 */
function httpRouteL1(): typeof HttpRouteImport.HttpRoute {
  return (require('../../imports/httproute-gateway.networking.k8s.io') as typeof HttpRouteImport).HttpRoute;
}

/** Where an HTTPRoute attaches and which requests it matches: the part of {@link HttpRouteProps} without the backends. */
export type HttpRouteMatch = Pick<HttpRouteProps, 'gateways' | 'hostnames' | 'path' | 'pathType'>;

/** An {@link HttpRouteMatch} checked and with its defaults, by {@link planHttpRouteMatch}. @internal */
export interface HttpRouteMatchPlan {
  readonly gateways: readonly GatewayRef[];
  readonly hostnames?: readonly string[];
  readonly path: string;
  readonly pathType: 'PathPrefix' | 'Exact';
}

/** The props the values of an {@link HttpRouteMatch} came from, as problems name them. @internal */
export interface HttpRouteMatchFields {
  /** @default 'gateways' */
  readonly gateways?: string;
  /** @default 'hostnames' */
  readonly hostnames?: string;
  /** @default 'path' */
  readonly path?: string;
  /** @default 'pathType' */
  readonly pathType?: string;
}

/**
 * Checks where a route attaches and what it matches against the CRD's limits, and resolves the
 * defaults; throws one {@link PropsError} with every problem, named by `fields`.
 * @internal
 */
export function planHttpRouteMatch(scope: IConstruct, match: HttpRouteMatch, fields: HttpRouteMatchFields = {}): HttpRouteMatchPlan {
  const limits = httpRouteLimits();
  const path = match.path ?? '/';
  const pathType = match.pathType ?? 'PathPrefix';
  checkAll(scope, [
    () => checkGateways(scope, fields.gateways ?? 'gateways', match.gateways, limits.maxParentRefs),
    () => checkHostnames(scope, fields.hostnames ?? 'hostnames', match.hostnames ?? [], limits),
    () => checkPath(scope, fields.path ?? 'path', checkOneOf(scope, fields.pathType ?? 'pathType', pathType, PATH_TYPES), path, limits.maxPathLength),
  ]);
  return { gateways: match.gateways, hostnames: match.hostnames, path, pathType };
}

/** What {@link buildHttpRoute} makes an HTTPRoute of: checked props. @internal */
export interface HttpRouteBuild extends Pick<HttpRouteProps, 'name' | 'namespace' | 'backends' | 'labels' | 'annotations'> {
  readonly match: HttpRouteMatchPlan;
}

/** The HTTPRoute `<name>-route` of checked props; nothing is checked again. @internal */
export function buildHttpRoute(scope: Construct, id: string, props: HttpRouteBuild): ApiObject {
  const { match } = props;
  const routeNamespace = props.namespace ?? Chart.of(scope).namespace;
  return createJsonFormObject(httpRouteL1(), scope, id, {
    metadata: {
      name: `${props.name}-route`,
      namespace: routeNamespace,
      labels: props.labels && { ...props.labels },
      annotations: props.annotations && { ...props.annotations },
    },
    spec: {
      parentRefs: parentRefsOf(match.gateways),
      hostnames: match.hostnames?.length ? [...match.hostnames] : undefined,
      rules: [{
        matches: [{ path: { type: match.pathType as HttpRouteImport.HttpRouteSpecRulesMatchesPathType, value: match.path } }],
        backendRefs: props.backends.map((backend) => ({
          name: backend.service.name,
          // Only when it differs: the route's own namespace is the default (another needs a ReferenceGrant).
          namespace: backend.service.metadata.namespace !== routeNamespace ? backend.service.metadata.namespace : undefined,
          port: backend.port,
          weight: backend.weight ?? 1,
        })),
      }],
    },
  });
}

/** What {@link buildRedirectRoute} makes a redirect HTTPRoute of: checked props. @internal */
export interface RedirectRouteBuild {
  /** The HTTPRoute is `<name>-route`. */
  readonly name: string;
  readonly gateways: readonly GatewayRef[];
  /** The host whose requests are redirected. */
  readonly fromHost: string;
  /** The host they are redirected to, with the same scheme, port, path and query. */
  readonly toHost: string;
  readonly labels?: Readonly<Record<string, string>>;
}

/** The route's `parentRefs`: each Gateway (and its listener) it attaches to. */
function parentRefsOf(gateways: readonly GatewayRef[]) {
  return gateways.map((gateway) => ({ name: gateway.name, namespace: gateway.namespace, sectionName: gateway.sectionName }));
}

/**
 * An HTTPRoute that answers every request for `fromHost` with a permanent redirect (301, a status
 * every Gateway API implementation supports) to `toHost`, and sends nothing to a backend: the
 * CRD allows no backendRefs beside a RequestRedirect filter. Nothing is checked again. @internal
 */
export function buildRedirectRoute(scope: Construct, id: string, props: RedirectRouteBuild): ApiObject {
  return createJsonFormObject(httpRouteL1(), scope, id, {
    metadata: { name: `${props.name}-route`, namespace: Chart.of(scope).namespace, labels: props.labels && { ...props.labels } },
    spec: {
      parentRefs: parentRefsOf(props.gateways),
      hostnames: [props.fromHost],
      rules: [{
        matches: [{ path: { type: 'PathPrefix' as HttpRouteImport.HttpRouteSpecRulesMatchesPathType, value: '/' } }],
        filters: [{
          type: 'RequestRedirect' as HttpRouteImport.HttpRouteSpecRulesFiltersType,
          requestRedirect: { hostname: props.toHost, statusCode: 301 as HttpRouteImport.HttpRouteSpecRulesFiltersRequestRedirectStatusCode },
        }],
      }],
    },
  });
}

/**
 * A Gateway API `HTTPRoute` (`gateway.networking.k8s.io/v1`, from the CRD in imports/crds/) that
 * sends the requests of some hosts and a path to weighted Service backends: a canary release
 * splits traffic with two backends, e.g. weights 90 and 10. The props are checked against the
 * CRD's own limits (list sizes, weight range, the path rules), so what the construct accepts the
 * API server accepts too, once the Gateway API CRDs are installed.
 */
@detachOnError
export class HttpRoute extends Construct {
  /** The HTTPRoute object (an instance of the L1 class imported into imports/). */
  public readonly route: ApiObject;

  constructor(scope: Construct, id: string, props: HttpRouteProps) {
    super(scope, id);
    let match: HttpRouteMatchPlan | undefined;
    checkAll(this, [
      () => checkDns1123Label(this, 'name', props.name),
      () => props.namespace !== undefined && checkDns1123Label(this, 'namespace', props.namespace),
      () => (match = planHttpRouteMatch(this, props)),
      () => checkBackends(this, props.backends, httpRouteLimits()),
      () => checkLabels(this, 'labels', props.labels),
      () => checkAnnotations(this, 'annotations', props.annotations),
    ]);
    this.route = buildHttpRoute(this, 'Route', { ...props, labels: recommendedLabels(this, { [NAME_LABEL]: props.name }, props.labels, {}), match: match! });
  }
}

function checkGateways(scope: IConstruct, field: string, gateways: readonly GatewayRef[], max: number): void {
  if (!Array.isArray(gateways) || gateways.length === 0 || gateways.length > max) {
    throw invalidProp(scope, field, gateways, `must name 1 to ${max} Gateways (the CRD's limit on parentRefs)`);
  }
  const seen = new Set<string>();
  checkAll(scope, gateways.map((gateway, i) => () => {
    checkAll(scope, [
      () => checkDns1123Subdomain(scope, `${field}[${i}].name`, gateway.name),
      () => gateway.namespace !== undefined && checkDns1123Label(scope, `${field}[${i}].namespace`, gateway.namespace),
      () => gateway.sectionName !== undefined && checkDns1123Subdomain(scope, `${field}[${i}].sectionName`, gateway.sectionName),
    ]);
    // The CRD's CEL rules: two references to one Gateway need distinct sectionNames.
    const key = `${gateway.namespace ?? ''}/${gateway.name}/${gateway.sectionName ?? ''}`;
    if (seen.has(key)) throw invalidProp(scope, `${field}[${i}]`, gateway, 'must differ from the other entries: a Gateway named twice needs a different sectionName each time');
    seen.add(key);
  }));
  const unsectioned = gateways.filter((g) => g.sectionName === undefined).map((g) => `${g.namespace ?? ''}/${g.name}`);
  const sectioned = new Set(gateways.filter((g) => g.sectionName !== undefined).map((g) => `${g.namespace ?? ''}/${g.name}`));
  const mixed = unsectioned.find((key) => sectioned.has(key));
  if (mixed) throw invalidProp(scope, field, gateways, `must give a sectionName on every entry of Gateway ${mixed.replace(/^\//, '')} once one entry of it has one`);
}

function checkHostnames(scope: IConstruct, field: string, hostnames: readonly string[], limits: { maxHostnames: number; hostnamePattern: RegExp }): void {
  if (hostnames.length > limits.maxHostnames) {
    throw invalidProp(scope, field, hostnames, `must have at most ${limits.maxHostnames} entries (the CRD's limit)`);
  }
  checkAll(scope, hostnames.map((hostname, i) => () => {
    if (typeof hostname !== 'string' || hostname.length > 253 || !limits.hostnamePattern.test(hostname)) {
      throw invalidProp(scope, `${field}[${i}]`, hostname, 'must be a DNS-1123 subdomain, optionally starting with "*." (no IP address, no port)');
    }
  }));
}

function checkPath(scope: IConstruct, field: string, type: string, path: string, maxLength: number): void {
  const problem = typeof path === 'string' ? (path.length > maxLength ? `it is longer than ${maxLength} characters` : httpRoutePathProblem(type, path)) : 'it is not a string';
  if (problem) throw invalidProp(scope, field, path, `must be a valid ${type} path for the Gateway API: ${problem}`);
}

function checkBackends(scope: Construct, backends: readonly HttpRouteBackend[], limits: { maxBackendRefs: number; minWeight: number; maxWeight: number }): void {
  if (!Array.isArray(backends) || backends.length === 0 || backends.length > limits.maxBackendRefs) {
    throw invalidProp(scope, 'backends', backends?.length ?? backends, `must list 1 to ${limits.maxBackendRefs} backends (the CRD's limit on backendRefs)`);
  }
  checkAll(scope, backends.map((backend, i) => () => {
    checkAll(scope, [
      () => {
        if (!(backend.service instanceof ApiObject) || backend.service.kind !== 'Service') {
          throw invalidProp(scope, `backends[${i}].service`, backend.service?.kind ?? backend.service, 'must be a Service object (e.g. a KubeService)');
        }
      },
      () => checkPort(scope, `backends[${i}].port`, backend.port),
      () => backend.weight !== undefined && checkInteger(scope, `backends[${i}].weight`, backend.weight, limits.minWeight, limits.maxWeight),
    ]);
  }));
  if (backends.every((backend) => backend.weight === 0)) {
    throw invalidProp(scope, 'backends', backends.map((backend) => backend.weight), 'must give at least one backend a weight above 0 (with all at 0 the Gateway answers every request with an error)');
  }
}

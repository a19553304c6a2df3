/**
 * Facts of the Gateway API HTTPRoute shared by the {@link HttpRoute} construct and the
 * validation rules. The numeric limits are read from the shipped CRD (imports/crds/), so they
 * change with it; the path rules are the CRD's CEL rules on `matches[].path`, which the schema
 * walk (schema/crd.ts) does not evaluate.
 */
import { crdSchemaAt } from './schema/crd';

export const HTTP_ROUTE_API_VERSION = 'gateway.networking.k8s.io/v1';
export const HTTP_ROUTE_KIND = 'HTTPRoute';
/** The API group of the Gateway API's kinds (Gateway, HTTPRoute, ReferenceGrant). */
export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';

/** Whether an HTTPRoute parentRef names a Gateway (its group and kind default to the Gateway's). */
export function isGatewayParentRef(ref: Readonly<Record<string, unknown>>): boolean {
  return (ref.group ?? GATEWAY_API_GROUP) === GATEWAY_API_GROUP && (ref.kind ?? 'Gateway') === 'Gateway';
}

/** Path match types of the standard channel. */
export type HttpRoutePathType = 'PathPrefix' | 'Exact' | 'RegularExpression';

/** What the CRD's schema says a number or list of the HTTPRoute may be. */
export interface HttpRouteLimits {
  readonly maxParentRefs: number;
  readonly maxHostnames: number;
  readonly hostnamePattern: RegExp;
  readonly maxBackendRefs: number;
  readonly minWeight: number;
  readonly maxWeight: number;
  readonly maxPathLength: number;
}

let limits: HttpRouteLimits | undefined;

function numberAt(path: string, key: 'maxItems' | 'minimum' | 'maximum' | 'maxLength'): number {
  const value = crdSchemaAt(HTTP_ROUTE_API_VERSION, HTTP_ROUTE_KIND, path)[key];
  if (value === undefined) throw new Error(`the HTTPRoute CRD sets no ${key} on ${path}`);
  return value;
}

export function httpRouteLimits(): HttpRouteLimits {
  limits ??= {
    maxParentRefs: numberAt('spec.parentRefs', 'maxItems'),
    maxHostnames: numberAt('spec.hostnames', 'maxItems'),
    hostnamePattern: new RegExp(crdSchemaAt(HTTP_ROUTE_API_VERSION, HTTP_ROUTE_KIND, 'spec.hostnames[]').pattern ?? '.*'),
    maxBackendRefs: numberAt('spec.rules[].backendRefs', 'maxItems'),
    minWeight: numberAt('spec.rules[].backendRefs[].weight', 'minimum'),
    maxWeight: numberAt('spec.rules[].backendRefs[].weight', 'maximum'),
    maxPathLength: numberAt('spec.rules[].matches[].path.value', 'maxLength'),
  };
  return limits;
}

const PATH_CHARACTERS = /^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$/;
const FORBIDDEN_PARTS = ['//', '/./', '/../', '%2f', '%2F', '#'];

/**
 * Why an `Exact` or `PathPrefix` path value is refused by the CRD's CEL rules, or `undefined`
 * when it passes them (`RegularExpression` values are not checked by the CRD).
 */
export function httpRoutePathProblem(type: string, value: string): string | undefined {
  if (type !== 'Exact' && type !== 'PathPrefix') return undefined;
  if (!value.startsWith('/')) return 'it must start with "/"';
  const part = FORBIDDEN_PARTS.find((forbidden) => value.includes(forbidden));
  if (part) return `it must not contain "${part}"`;
  if (value.endsWith('/..') || value.endsWith('/.')) return 'it must not end with "/." or "/.."';
  if (!PATH_CHARACTERS.test(value)) return `it may contain only letters, digits, "-._~!$&'()*+,;=:@/" and %-escapes`;
  return undefined;
}

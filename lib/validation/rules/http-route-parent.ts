import { asArray, asRecord, asString, finding, IndexedObject, isDeclaredExternal, ObjectIndex, Rule, RuleContext, findingsOf } from '../rule';
import { Finding } from '../../manifest/types';
import { HTTP_ROUTE_API_VERSION, isGatewayParentRef } from '../http-route';

const CONSEQUENCE = 'the API server accepts it, but no Gateway accepts the route, so none of its requests reach the backends';

/** Whether a listener's `allowedRoutes` lets routes of `namespace` attach ("Same", the default, means the Gateway's own). */
function admitsNamespace(gateway: IndexedObject, listener: Record<string, unknown>, namespace: string): boolean {
  const from = asString(asRecord(asRecord(listener.allowedRoutes)?.namespaces)?.from) ?? 'Same';
  // A Selector depends on the labels of the route's Namespace, which the manifests may not hold: not ours to judge.
  return from !== 'Same' || gateway.namespace === namespace;
}

function checkRoute(index: ObjectIndex, context: RuleContext, route: IndexedObject): Finding[] {
  if (route.object.apiVersion !== HTTP_ROUTE_API_VERSION) return [];
  const findings: Finding[] = [];
  asArray(asRecord(route.object.spec)?.parentRefs).forEach((raw, i) => {
    const ref = asRecord(raw) ?? {};
    if (!isGatewayParentRef(ref)) return; // another parent kind: not ours to check
    const name = asString(ref.name);
    if (!name) return; // the schema check reports the missing name
    const at = `spec.parentRefs[${i}]`;
    const namespace = asString(ref.namespace) ?? route.namespace!;
    // A declared Gateway's listeners are unknown: its name is all there is to check.
    if (isDeclaredExternal(context, 'Gateway', namespace, name)) return;
    const gateway = index.find('Gateway', namespace, name);
    if (!gateway) {
      findings.push(finding(httpRouteParent, route, `${at}.name`,
        `${at} refers to Gateway ${namespace}/${name}, which is neither in the manifests nor declared as an external object; ${CONSEQUENCE}. `
        + `Fix the name or namespace, add the Gateway, or declare it (declareExternalObject, or --external Gateway/${namespace}/${name}).`));
      return;
    }
    const listeners = asArray(asRecord(gateway.object.spec)?.listeners).map((listener) => asRecord(listener) ?? {});
    const section = asString(ref.sectionName);
    const named = section === undefined ? listeners : listeners.filter((listener) => listener.name === section);
    if (section !== undefined && named.length === 0) {
      findings.push(finding(httpRouteParent, route, `${at}.sectionName`,
        `${at}.sectionName is ${section}, but Gateway ${namespace}/${name} has the listeners ${listeners.map((l) => String(l.name)).join(', ') || '(none)'}; ${CONSEQUENCE}. `
        + 'Name one of its listeners, or leave sectionName out to attach to every listener that allows the route.'));
      return;
    }
    if (named.length && !named.some((listener) => admitsNamespace(gateway, listener, route.namespace!))) {
      findings.push(finding(httpRouteParent, route, at,
        `${at} attaches to Gateway ${namespace}/${name}${section ? ` listener ${section}` : ''}, which admits only routes of its own namespace ${namespace} (allowedRoutes.namespaces.from: Same); ${CONSEQUENCE}. `
        + 'Let the listener admit routes of this namespace (from: All or a Selector), or move the route.'));
    }
  });
  return findings;
}

export const httpRouteParent: Rule = {
  id: 'http-route-parent',
  summary: 'Every HTTPRoute parentRef to a Gateway names a Gateway of the manifests or a declared external one, a listener it has (sectionName), and one whose allowedRoutes admit the route\'s namespace.',
  breaks: 'No Gateway accepts the route: its hosts answer 404 (or are not served at all).',
  apiServer: 'accepts',
  check: (index, context) => findingsOf(index.byKind('HTTPRoute'), (route) => checkRoute(index, context, route)),
};

import { asArray, asRecord, asString, finding, IndexedObject, isDeclaredExternal, ObjectIndex, Rule, RuleContext, findingsOf } from '../rule';
import { Finding } from '../../manifest/types';
import { GATEWAY_API_GROUP, HTTP_ROUTE_API_VERSION } from '../http-route';
import { describeServicePorts, servicePortMatches } from './ingress-backend';

const CONSEQUENCE = 'the API server accepts it, but the Gateway cannot resolve the backend and, as the Gateway API specifies, answers HTTP 500 for the requests it would get';

/** Whether a ReferenceGrant in `namespace` lets HTTPRoutes of `from` refer to Service `name`. */
function isGranted(index: ObjectIndex, from: string, namespace: string, name: string): boolean {
  return index.byKind('ReferenceGrant').some((grant) => {
    if (grant.namespace !== namespace) return false;
    const spec = asRecord(grant.object.spec) ?? {};
    const fromOk = asArray(spec.from).some((raw) => {
      const entry = asRecord(raw) ?? {};
      return entry.group === GATEWAY_API_GROUP && entry.kind === 'HTTPRoute' && entry.namespace === from;
    });
    const toOk = asArray(spec.to).some((raw) => {
      const entry = asRecord(raw) ?? {};
      return (entry.group ?? '') === '' && entry.kind === 'Service' && (entry.name === undefined || entry.name === name);
    });
    return fromOk && toOk;
  });
}

function checkRoute(index: ObjectIndex, context: RuleContext, route: IndexedObject): Finding[] {
  if (route.object.apiVersion !== HTTP_ROUTE_API_VERSION) return [];
  const findings: Finding[] = [];
  asArray(asRecord(route.object.spec)?.rules).forEach((rawRule, i) => {
    asArray(asRecord(rawRule)?.backendRefs).forEach((rawRef, j) => {
      const ref = asRecord(rawRef) ?? {};
      if ((ref.group ?? '') !== '' || (ref.kind ?? 'Service') !== 'Service') return; // not a Service: not ours to check
      const name = asString(ref.name);
      if (!name) return; // the schema check reports the missing name
      const at = `spec.rules[${i}].backendRefs[${j}]`;
      const namespace = asString(ref.namespace) ?? route.namespace!;
      if (isDeclaredExternal(context, 'Service', namespace, name)) return;
      if (namespace !== route.namespace && !isGranted(index, route.namespace!, namespace, name)) {
        findings.push(finding(httpRouteBackend, route, `${at}.namespace`,
          `${at} refers to Service ${namespace}/${name} in another namespace, and no ReferenceGrant in ${namespace} allows HTTPRoutes of ${route.namespace} to refer to it; ${CONSEQUENCE}. `
          + `Add a ReferenceGrant in ${namespace} (from HTTPRoute in ${route.namespace}, to Service), or move the route.`));
        return;
      }
      const service = index.find('Service', namespace, name);
      if (!service) {
        findings.push(finding(httpRouteBackend, route, `${at}.name`,
          `${at}.name refers to Service ${name}, which is not in namespace ${namespace}; ${CONSEQUENCE}. Create the Service, fix the name, or declare it as an external object.`));
        return;
      }
      if (ref.port === undefined || asRecord(service.object.spec)?.type === 'ExternalName' || servicePortMatches(service, ref.port)) return;
      findings.push(finding(httpRouteBackend, route, `${at}.port`,
        `${at}.port is ${String(ref.port)}, but Service ${name} exposes ${describeServicePorts(service)}; ${CONSEQUENCE}. Use one of the Service's ports (spec.ports[].port).`));
    });
  });
  return findings;
}

export const httpRouteBackend: Rule = {
  id: 'http-route-backend',
  summary: 'Every HTTPRoute backendRef to a Service names a Service that exists (in the route\'s namespace, or another one with a ReferenceGrant) and one of its ports.',
  breaks: 'The Gateway answers HTTP 500 for the share of requests routed to that backend.',
  apiServer: 'accepts',
  check: (index, context) => findingsOf(index.byKind('HTTPRoute'), (route) => checkRoute(index, context, route)),
};

import { asArray, asRecord, IndexedObject, ObjectIndex, Rule, findingsOf } from '../rule';
import { Finding } from '../../manifest/types';
import { FieldFindings, show } from '../field-checks';
import { GATEWAY_API_GROUP, HTTP_ROUTE_API_VERSION, httpRoutePathProblem } from '../http-route';

/**
 * The CEL rules (`x-kubernetes-validations`) of the HTTPRoute CRD that routes like ours meet and
 * the schema walk (schema/crd.ts) does not evaluate: path values of Exact and PathPrefix matches,
 * and the port of a Service backend.
 */
function checkRoute(route: IndexedObject): Finding[] {
  const checks = new FieldFindings(httpRouteFields, route);
  if (route.object.apiVersion !== HTTP_ROUTE_API_VERSION) return [];
  checkParentRefs(checks, asArray(asRecord(route.object.spec)?.parentRefs));
  asArray(asRecord(route.object.spec)?.rules).forEach((raw, i) => {
    const rule = asRecord(raw) ?? {};
    asArray(rule.matches).forEach((match, j) => {
      const path = asRecord(asRecord(match)?.path);
      if (!path || typeof path.value !== 'string') return;
      const problem = httpRoutePathProblem(typeof path.type === 'string' ? path.type : 'PathPrefix', path.value);
      const at = `spec.rules[${i}].matches[${j}].path.value`;
      if (problem) checks.reject(at, `${at} ${show(path.value)} is not a valid ${String(path.type ?? 'PathPrefix')} path: ${problem} (a CEL rule of the HTTPRoute CRD)`, 'Use a normalized absolute path such as "/" or "/api".');
    });
    asArray(rule.backendRefs).forEach((rawRef, j) => {
      const ref = asRecord(rawRef) ?? {};
      const isService = (ref.group ?? '') === '' && (ref.kind ?? 'Service') === 'Service';
      const at = `spec.rules[${i}].backendRefs[${j}]`;
      if (isService && ref.port === undefined) checks.reject(`${at}.port`, `${at} names a Service without a port ("Must have port for Service reference", a CEL rule of the HTTPRoute CRD)`, 'Set port to one of the Service\'s ports.');
    });
  });
  return checks.findings;
}

/**
 * The two CEL rules on `spec.parentRefs`: entries naming the same parent (group, kind, namespace,
 * name) must all set a sectionName or none, and no two of them may name the same section.
 */
function checkParentRefs(checks: FieldFindings, refs: readonly unknown[]): void {
  const seen = new Map<string, { sectioned: boolean; sections: Set<string> }>();
  refs.forEach((raw, i) => {
    const ref = asRecord(raw) ?? {};
    const parent = [ref.group ?? GATEWAY_API_GROUP, ref.kind ?? 'Gateway', ref.namespace ?? '', ref.name].map(String).join('/');
    const section = typeof ref.sectionName === 'string' ? ref.sectionName : '';
    const entry = seen.get(parent);
    const at = `spec.parentRefs[${i}]`;
    if (!entry) {
      seen.set(parent, { sectioned: section !== '', sections: new Set([section]) });
    } else if (entry.sectioned !== (section !== '')) {
      checks.reject(at, `${at} names parent ${String(ref.name)} again, and only some of its entries set a sectionName (a CEL rule of the HTTPRoute CRD)`, 'Give every entry of that parent a sectionName, or list it once.');
    } else if (entry.sections.has(section)) {
      checks.reject(at, `${at} names parent ${String(ref.name)}${section ? ` section ${section}` : ''} twice (a CEL rule of the HTTPRoute CRD)`, 'List each parent (and section) once.');
    } else {
      entry.sections.add(section);
    }
  });
}

export const httpRouteFields: Rule = {
  id: 'http-route-fields',
  summary: 'HTTPRoute Exact and PathPrefix paths are normalized absolute paths, Service backendRefs give a port, and parentRefs name each parent section once (the CEL rules of the HTTPRoute CRD).',
  breaks: 'kubectl apply fails: the API server evaluates the CRD\'s CEL rules.',
  apiServer: 'rejects',
  check: (index: ObjectIndex) => findingsOf(index.byKind('HTTPRoute'), checkRoute),
};

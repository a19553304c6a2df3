import { asArray, asRecord, asString, finding, IndexedObject, ObjectIndex, Rule } from '../rule';
import { Finding } from '../../manifest/types';
import { NGINX_CANARY_ANNOTATION, NGINX_CANARY_WEIGHT_ANNOTATION, NGINX_CANARY_WEIGHT_TOTAL_ANNOTATION } from '../../manifest/release-labels';

interface Route {
  readonly ingress: IndexedObject;
  /** `spec.rules[i].http.paths[j]`. */
  readonly path: string;
  readonly key: string;
  readonly description: string;
}

function isCanary(ingress: IndexedObject): boolean {
  return ingress.object.metadata?.annotations?.[NGINX_CANARY_ANNOTATION] === 'true';
}

/** Every host and path of an Ingress, keyed by namespace, class, host and path. */
function routesOf(ingress: IndexedObject): Route[] {
  const spec = asRecord(ingress.object.spec) ?? {};
  const ingressClass = asString(spec.ingressClassName) ?? asString(ingress.object.metadata?.annotations?.['kubernetes.io/ingress.class']) ?? '';
  const routes: Route[] = [];
  asArray(spec.rules).forEach((raw, i) => {
    const rule = asRecord(raw) ?? {};
    const host = asString(rule.host) ?? '';
    asArray(asRecord(rule.http)?.paths).forEach((rawPath, j) => {
      const path = asString(asRecord(rawPath)?.path) ?? '/';
      routes.push({
        ingress,
        path: `spec.rules[${i}].http.paths[${j}]`,
        key: [ingress.namespace, ingressClass, host, path].join('\u0000'),
        description: `host ${host || '*'} path ${path} (class ${ingressClass || 'default'})`,
      });
    });
  });
  return routes;
}

function weightFindings(ingress: IndexedObject): Finding[] {
  const annotations = ingress.object.metadata?.annotations ?? {};
  const weight = annotations[NGINX_CANARY_WEIGHT_ANNOTATION];
  if (weight === undefined) return [];
  const totalText = annotations[NGINX_CANARY_WEIGHT_TOTAL_ANNOTATION] ?? '100';
  const total = /^\d+$/.test(totalText) ? Number(totalText) : 100;
  if (/^\d+$/.test(weight) && Number(weight) <= total) return [];
  return [finding(canaryIngress, ingress, `metadata.annotations["${NGINX_CANARY_WEIGHT_ANNOTATION}"]`,
    `${NGINX_CANARY_WEIGHT_ANNOTATION} is ${JSON.stringify(weight)}; the API server accepts any string, but ingress-nginx expects an integer from 0 to ${total} (${NGINX_CANARY_WEIGHT_TOTAL_ANNOTATION}). Give the canary's share as such an integer.`)];
}

function check(index: ObjectIndex): Finding[] {
  const ingresses = index.byKind('Ingress');
  const primaries = new Set(ingresses.filter((ingress) => !isCanary(ingress)).flatMap(routesOf).map((route) => route.key));
  const canaryOf = new Map<string, Route>();
  const findings: Finding[] = [];
  for (const ingress of ingresses.filter(isCanary)) {
    findings.push(...weightFindings(ingress));
    for (const route of routesOf(ingress)) {
      if (!primaries.has(route.key)) {
        findings.push(finding(canaryIngress, ingress, route.path,
          `${route.path} is a canary for ${route.description}, but no primary (non-canary) Ingress of namespace ${ingress.namespace} serves that class, host and path; `
          + 'the API server accepts it, but ingress-nginx only adds a canary to the primary Ingress of the same host and path. Use the primary\'s ingressClassName, host and path exactly.'));
      }
      const first = canaryOf.get(route.key);
      if (first) {
        findings.push(finding(canaryIngress, ingress, route.path,
          `${route.path} is a second canary for ${route.description}, after Ingress ${first.ingress.name}; the API server accepts it, `
          + 'but ingress-nginx applies at most one canary Ingress per host and path. Keep one canary and give it the weight.'));
      } else {
        canaryOf.set(route.key, route);
      }
    }
  }
  return findings;
}

export const canaryIngress: Rule = {
  id: 'canary-ingress',
  summary: `An ingress-nginx canary Ingress (${NGINX_CANARY_ANNOTATION}: "true") has a primary Ingress with its class, host and path, is the only canary there, and has an integer weight.`,
  breaks: 'The canary receives no traffic, or another canary\'s share, and the release looks healthy while nobody tests it.',
  apiServer: 'accepts',
  check: (index) => check(index),
};

import { KubeObject } from '../../lib/manifest/types';

/** The fields that select pods or namespaces by label. */
const SELECTOR_FIELDS = new Set(['selector', 'podSelector', 'namespaceSelector', 'labelSelector']);

/**
 * Every label selector of `objects`, by `<kind>/<name>` and the path of the field: Deployment,
 * StatefulSet and PDB selectors, Service selectors, NetworkPolicy pod and namespace selectors,
 * affinity and spread label selectors.
 */
export function selectorsOf(objects: readonly KubeObject[]): Record<string, Record<string, unknown>> {
  const found: Record<string, Record<string, unknown>> = {};
  for (const object of objects) {
    const selectors: Record<string, unknown> = {};
    const walk = (value: unknown, path: string): void => {
      if (Array.isArray(value)) value.forEach((item, i) => walk(item, `${path}[${i}]`));
      else if (value !== null && typeof value === 'object') {
        for (const [key, child] of Object.entries(value)) {
          if (SELECTOR_FIELDS.has(key)) selectors[`${path}.${key}`] = child;
          else walk(child, `${path}.${key}`);
        }
      }
    };
    walk(object.spec, 'spec');
    if (Object.keys(selectors).length) found[`${object.kind}/${object.metadata?.name}`] = selectors;
  }
  return found;
}

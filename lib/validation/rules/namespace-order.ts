import { finding, IndexedObject, isDeclaredExternal, ObjectIndex, Rule, RuleContext } from '../rule';
import { Finding } from '../../manifest/types';

/** Namespaces every cluster has. */
const BUILT_IN_NAMESPACES = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);

function checkNamespace(index: ObjectIndex, context: RuleContext, namespace: string, members: readonly IndexedObject[]): Finding[] {
  if (BUILT_IN_NAMESPACES.has(namespace)) return [];
  const creator = index.find('Namespace', undefined, namespace);
  if (!creator) {
    if (isDeclaredExternal(context, 'Namespace', undefined, namespace)) return [];
    // Reported once, on the first object, rather than on every object of the namespace.
    const first = members[0];
    return [finding(namespaceOrder, first, 'metadata.namespace',
      `namespace ${namespace} (used by ${members.length} object(s)) is not created by any Namespace object in the set; it must exist before they are applied, `
      + `or the API server rejects every object in it ("namespaces \\"${namespace}\\" not found"). Add a Namespace object before them, or declare it external (declareExternalObject() in the app, or --external Namespace/${namespace} when validating a folder).`,
      { severity: 'warning', apiServer: 'rejects' })];
  }
  return members.filter((member) => member.order < creator.order).map((member) =>
    finding(namespaceOrder, member, 'metadata.namespace',
      `namespace ${namespace} is created by Namespace ${namespace} (${creator.source}), which comes later in apply order; the API server rejects this object `
      + `("namespaces \\"${namespace}\\" not found") on the first apply. Put the Namespace first (e.g. its own file sorting before the others).`));
}

function membersByNamespace(index: ObjectIndex): Map<string, IndexedObject[]> {
  const byNamespace = new Map<string, IndexedObject[]>();
  for (const object of [...index.objects].sort((a, b) => a.order - b.order)) {
    if (object.namespace === undefined) continue;
    const members = byNamespace.get(object.namespace) ?? [];
    members.push(object);
    byNamespace.set(object.namespace, members);
  }
  return byNamespace;
}

export const namespaceOrder: Rule = {
  id: 'namespace-order',
  summary: 'Every namespace an object lives in is created by an earlier Namespace object, is built in, or is declared external.',
  breaks: 'kubectl apply fails for objects whose namespace does not exist yet ("namespaces ... not found").',
  apiServer: 'rejects',
  check: (index, context) => [...membersByNamespace(index)].flatMap(([namespace, members]) => checkNamespace(index, context, namespace, members)),
};

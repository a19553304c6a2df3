import { finding, IndexedObject, ObjectIndex, Rule } from '../rule';
import { Finding } from '../types';

/** The API group of an apiVersion: `apps` of `apps/v1`, the core group ("") of `v1`. */
function groupOf(apiVersion: unknown): string {
  const text = String(apiVersion ?? '');
  const slash = text.indexOf('/');
  return slash < 0 ? '' : text.slice(0, slash);
}

function identity(object: IndexedObject): string | undefined {
  if (object.object.metadata?.name === undefined) return undefined; // generateName: the server picks a fresh name each time
  return `${groupOf(object.object.apiVersion)}\u0000${object.kind}\u0000${object.namespace ?? ''}\u0000${object.name}`;
}

export const duplicateObjects: Rule = {
  id: 'duplicate-objects',
  summary: 'No two objects of the set have the same API group, kind, namespace and name.',
  breaks: 'The later object silently replaces the earlier one on apply (or both charts fight over it): one of the two definitions never takes effect.',
  apiServer: 'accepts',
  check: (index: ObjectIndex) => {
    const first = new Map<string, IndexedObject>();
    const findings: Finding[] = [];
    for (const object of index.objects) {
      const key = identity(object);
      if (key === undefined) continue;
      const earlier = first.get(key);
      if (!earlier) {
        first.set(key, object);
        continue;
      }
      const group = groupOf(object.object.apiVersion);
      findings.push(finding(duplicateObjects, object, 'metadata.name',
        `${object.label}${group ? ` (${group})` : ''} is defined twice: also in ${earlier.source}${earlier.source === object.source ? ' (the same file)' : ''}; `
        + 'the API server accepts each apply, but the later definition overwrites the earlier one, so one of them never takes effect. Rename one of the objects or remove the copy.'));
    }
    return findings;
  },
};

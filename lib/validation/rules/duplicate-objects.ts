import { finding, IndexedObject, ObjectIndex, Rule } from '../rule';
import { apiGroupOf } from '../../manifest/objects';
import { Finding } from '../../manifest/types';

/** The objects seen so far with each name: a name has a few (a Deployment, its Service, its HPA), so a scan of them beats a key string per object. */
type SeenByName = Map<string, { readonly group: string; readonly object: IndexedObject }[]>;

/** The earlier object of the same API group, kind, namespace and name; records `object` when it is the first. */
function earlierOf(seen: SeenByName, object: IndexedObject, group: string): IndexedObject | undefined {
  let sameName = seen.get(object.name);
  if (!sameName) seen.set(object.name, (sameName = []));
  for (const entry of sameName) {
    if (entry.group === group && entry.object.kind === object.kind && (entry.object.namespace ?? '') === (object.namespace ?? '')) return entry.object;
  }
  sameName.push({ group, object });
  return undefined;
}

export const duplicateObjects: Rule = {
  id: 'duplicate-objects',
  summary: 'No two objects of the set have the same API group, kind, namespace and name.',
  breaks: 'The later object silently replaces the earlier one on apply (or both charts fight over it): one of the two definitions never takes effect.',
  apiServer: 'accepts',
  check: (index: ObjectIndex) => {
    const seen: SeenByName = new Map();
    const groups = new Map<unknown, string>();
    const findings: Finding[] = [];
    for (const object of index.objects) {
      if (object.object.metadata?.name === undefined) continue; // generateName: the server picks a fresh name each time
      const apiVersion = object.object.apiVersion;
      let group = groups.get(apiVersion);
      if (group === undefined) groups.set(apiVersion, (group = apiGroupOf(apiVersion)));
      const earlier = earlierOf(seen, object, group);
      if (!earlier) continue;
      findings.push(finding(duplicateObjects, object, 'metadata.name',
        `${object.label}${group ? ` (${group})` : ''} is defined twice: also in ${earlier.source}${earlier.source === object.source ? ' (the same file)' : ''}; `
        + 'the API server accepts each apply, but the later definition overwrites the earlier one, so one of them never takes effect. Rename one of the objects or remove the copy.'));
    }
    return findings;
  },
};

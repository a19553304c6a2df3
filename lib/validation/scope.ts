/**
 * Which objects the cross-object rules see together, and findings about identical copies. A
 * synthesized app is one set; a folder of unrelated examples is many (`validate --per-file`: each
 * file its own app; `--per-folder`: each folder). A folder that holds the same object several times (a Service copied into every
 * example) gets each finding about it once, naming where the other copies are.
 */
import { Finding, SourcedObject } from '../manifest/types';

/** Which objects the cross-object rules see together: all, those of one file, or those of one folder. */
export type RuleScope = 'app' | 'file' | 'folder';

/** The folder of a source path (`a/b/c.yaml` → `a/b`, `c.yaml` → ``). */
function folderOf(source: string): string {
  const slash = source.lastIndexOf('/');
  return slash < 0 ? '' : source.slice(0, slash);
}

/** The objects of each app of `scope`, each in apply order: one group for `app`, one per file or per folder otherwise. */
export function scopeGroups(objects: readonly SourcedObject[], scope: RuleScope): readonly (readonly SourcedObject[])[] {
  if (scope === 'app') return [objects];
  const keyOf = scope === 'file' ? (source: string) => source : folderOf;
  const groups = new Map<string, SourcedObject[]>();
  for (const sourced of objects) {
    const key = keyOf(sourced.source);
    const group = groups.get(key);
    if (group) group.push(sourced);
    else groups.set(key, [sourced]);
  }
  return [...groups.values()];
}

/** `a.yaml, b.yaml and 3 more`: at most five sources by name. */
function listOf(sources: readonly string[]): string {
  const shown = sources.slice(0, 5).join(', ');
  return sources.length > 5 ? `${shown} and ${sources.length - 5} more` : shown;
}

/**
 * The findings with those about identical copies of an object (same JSON, key order included)
 * reported once: the first, which names the sources of the others. A finding only merges with one
 * of the same rule, path and message, so a copy whose surroundings differ keeps its own findings.
 */
/** `labels[i]` is the label of `objects[i]` (`Kind namespace/name`), as findings name objects. */
export function mergeCopies(findings: readonly Finding[], objects: readonly SourcedObject[], labels: readonly string[]): Finding[] {
  const objectAt = new Map<string, SourcedObject>();
  const labelsSeen = new Map<string, number>();
  for (let i = 0; i < objects.length; i++) {
    const sourced = objects[i];
    const label = labels[i];
    const key = `${sourced.source}\u0000${label}`;
    if (!objectAt.has(key)) objectAt.set(key, sourced);
    labelsSeen.set(label, (labelsSeen.get(label) ?? 0) + 1);
  }
  const contents = new Map<SourcedObject, string>();
  const contentOf = (finding: Finding): string | undefined => {
    // Only an object whose label occurs more than once can have a copy.
    if ((labelsSeen.get(finding.object) ?? 0) < 2) return undefined;
    const sourced = objectAt.get(`${finding.source}\u0000${finding.object}`);
    if (!sourced) return undefined;
    let content = contents.get(sourced);
    if (content === undefined) contents.set(sourced, (content = JSON.stringify(sourced.object)));
    return content;
  };
  const firstOf = new Map<string, { index: number; sources: string[] }>();
  const kept: Finding[] = [];
  for (const finding of findings) {
    const content = contentOf(finding);
    if (content === undefined) {
      kept.push(finding);
      continue;
    }
    const key = `${finding.rule}\u0000${finding.path}\u0000${finding.message}\u0000${content}`;
    const first = firstOf.get(key);
    if (first) {
      if (finding.source !== kept[first.index].source && !first.sources.includes(finding.source)) first.sources.push(finding.source);
      continue;
    }
    firstOf.set(key, { index: kept.length, sources: [] });
    kept.push(finding);
  }
  for (const { index, sources } of firstOf.values()) {
    if (sources.length === 0) continue;
    const finding = kept[index];
    kept[index] = { ...finding, message: `${finding.message} (Reported once: an identical ${finding.object} is also in ${listOf(sources)}.)` };
  }
  return kept;
}

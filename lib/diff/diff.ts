import { KubeObject, SourcedObject } from '../manifest/types';
import { loadManifestFolder } from '../manifest/load';
import { apiGroupOf, compareText, effectiveNamespace, isRecord, joinPath, objectLabel } from '../manifest/objects';

/** One difference inside an object. `before` is absent for an added field, `after` for a removed one. */
export interface ObjectChange {
  /** e.g. `spec.template.spec.containers[name=backend].image`, `metadata.labels["app.kubernetes.io/name"]`. */
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

/** What identifies an object to the API server, plus the file it was found in. */
export interface ObjectIdentity {
  /** `Kind namespace/name`, or `Kind name` for cluster-scoped kinds. */
  readonly id: string;
  /** API group (`apps`, `networking.k8s.io`); `''` for the core group. The version is not part of the identity. */
  readonly group: string;
  readonly kind: string;
  /** Absent for cluster-scoped kinds; `default` when a namespaced object does not say. */
  readonly namespace?: string;
  readonly name: string;
  readonly source: string;
}

export interface ChangedObject {
  readonly id: string;
  /** The file the object is in now. */
  readonly source: string;
  /** The file the object was in before, when it moved. */
  readonly movedFrom?: string;
  readonly changes: readonly ObjectChange[];
}

/** An object whose content is identical on both sides but that now lives in another file. */
export interface MovedObject {
  readonly id: string;
  readonly from: string;
  readonly to: string;
}

export interface ManifestDiff {
  readonly added: readonly ObjectIdentity[];
  readonly removed: readonly ObjectIdentity[];
  readonly changed: readonly ChangedObject[];
  /** Unchanged objects that moved between files; they count as unchanged. */
  readonly moved: readonly MovedObject[];
  /** Objects with identical content on both sides, moved or not. */
  readonly unchanged: number;
}

/**
 * Compares two sets of objects by identity (group, kind, namespace, name), ignoring the file each
 * object is in and the order of the objects. When an identity occurs twice in one set, the later
 * object wins, as it would with `kubectl apply`.
 */
export function diffManifests(before: readonly SourcedObject[], after: readonly SourcedObject[]): ManifestDiff {
  const beforeByKey = indexByIdentity(before);
  const afterByKey = indexByIdentity(after);

  const added: ObjectIdentity[] = [];
  const removed: ObjectIdentity[] = [];
  const changed: ChangedObject[] = [];
  const moved: MovedObject[] = [];
  let unchanged = 0;

  for (const [key, old] of beforeByKey) {
    if (!afterByKey.has(key)) {
      removed.push(old.identity);
    }
  }
  for (const [key, current] of afterByKey) {
    const old = beforeByKey.get(key);
    if (!old) {
      added.push(current.identity);
      continue;
    }
    const changes = diffValues(old.object, current.object, '');
    const movedFrom = old.identity.source === current.identity.source ? undefined : old.identity.source;
    if (changes.length > 0) {
      changed.push({ id: current.identity.id, source: current.identity.source, ...(movedFrom ? { movedFrom } : {}), changes });
      continue;
    }
    unchanged += 1;
    if (movedFrom) {
      moved.push({ id: current.identity.id, from: movedFrom, to: current.identity.source });
    }
  }

  return {
    added: sortById(added),
    removed: sortById(removed),
    changed: sortById(changed),
    moved: sortById(moved),
    unchanged,
  };
}

/** Reads the top of both folders (as synth writes them; subfolders are other outputs) with {@link loadManifestFolder} and diffs them. */
export function diffFolders(beforeDir: string, afterDir: string): ManifestDiff {
  return diffManifests(loadManifestFolder(beforeDir, undefined, { recursive: false }), loadManifestFolder(afterDir, undefined, { recursive: false }));
}

/** The diff for a human: one line per object (`+`, `-`, `~`, `>` moved), changed fields indented, then a summary. */
export function formatDiff(diff: ManifestDiff): string {
  const lines: string[] = [];
  for (const object of diff.added) {
    lines.push(`+ ${object.id} (added)`);
  }
  for (const object of diff.removed) {
    lines.push(`- ${object.id} (removed)`);
  }
  for (const object of diff.changed) {
    lines.push(`~ ${object.id}${object.movedFrom ? ` (moved ${object.movedFrom} → ${object.source})` : ''}`);
    for (const change of object.changes) {
      lines.push(`    ${change.path}: ${renderValue(change, 'before')} → ${renderValue(change, 'after')}`);
    }
  }
  for (const object of diff.moved) {
    lines.push(`> ${object.id} (moved ${object.from} → ${object.to})`);
  }
  lines.push(
    `${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.length} changed, ${diff.unchanged} unchanged`,
  );
  return lines.join('\n') + '\n';
}

interface IndexedObject {
  readonly identity: ObjectIdentity;
  readonly object: KubeObject;
}

function indexByIdentity(objects: readonly SourcedObject[]): Map<string, IndexedObject> {
  const byKey = new Map<string, IndexedObject>();
  for (const { object, source } of objects) {
    const identity = identify(object, source);
    byKey.set(identityKey(identity), { identity, object });
  }
  return byKey;
}

function identify(object: KubeObject, source: string): ObjectIdentity {
  const group = apiGroupOf(object.apiVersion);
  const name = object.metadata?.name ?? '';
  const namespace = effectiveNamespace(object);
  const id = objectLabel(object.kind, namespace, name);
  return { id, group, kind: object.kind, ...(namespace === undefined ? {} : { namespace }), name, source };
}

function identityKey(identity: ObjectIdentity): string {
  return JSON.stringify([identity.group, identity.kind, identity.namespace ?? '', identity.name]);
}

function sortById<T extends { readonly id: string }>(items: T[]): T[] {
  return items.sort((a, b) => compareText(a.id, b.id));
}

function diffValues(before: unknown, after: unknown, path: string): ObjectChange[] {
  if (isRecord(before) && isRecord(after)) {
    return diffRecords(before, after, path);
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    return diffArrays(before, after, path);
  }
  return Object.is(before, after) ? [] : [{ path: path || '(root)', before, after }];
}

function diffRecords(before: Record<string, unknown>, after: Record<string, unknown>, path: string): ObjectChange[] {
  const keys = [...Object.keys(before), ...Object.keys(after).filter((key) => !Object.hasOwn(before, key))];
  return keys.flatMap((key) => {
    const childPath = joinPath(path, key);
    if (!Object.hasOwn(after, key)) {
      return [{ path: childPath, before: before[key] }];
    }
    if (!Object.hasOwn(before, key)) {
      return [{ path: childPath, after: after[key] }];
    }
    return diffValues(before[key], after[key], childPath);
  });
}

/**
 * Elements of lists like containers, env, ports and volumes are matched by a key field, so that an
 * insertion or a reordering shows as one change and not as every later element changed. The order
 * of keyed elements is deliberately not compared.
 */
function diffArrays(before: readonly unknown[], after: readonly unknown[], path: string): ObjectChange[] {
  const keyField = ELEMENT_KEY_FIELDS.find((field) => hasUniqueKey(before, field) && hasUniqueKey(after, field));
  if (keyField === undefined) {
    return diffArraysByIndex(before, after, path);
  }
  const beforeByKey = new Map(before.map((element) => [keyOf(element, keyField), element]));
  const afterByKey = new Map(after.map((element) => [keyOf(element, keyField), element]));
  const keys = [...beforeByKey.keys(), ...[...afterByKey.keys()].filter((key) => !beforeByKey.has(key))];
  return keys.flatMap((key) => {
    const elementPath = `${path}[${keyField}=${key}]`;
    if (!afterByKey.has(key)) {
      return [{ path: elementPath, before: beforeByKey.get(key) }];
    }
    if (!beforeByKey.has(key)) {
      return [{ path: elementPath, after: afterByKey.get(key) }];
    }
    return diffValues(beforeByKey.get(key), afterByKey.get(key), elementPath);
  });
}

/** `mountPath` covers volumeMounts, where one volume may be mounted twice (different subPaths) under the same name. */
const ELEMENT_KEY_FIELDS = ['name', 'mountPath'] as const;

/** True for an empty list too, so that a list growing from nothing is still keyed. */
function hasUniqueKey(elements: readonly unknown[], field: string): boolean {
  const keys = new Set<string>();
  for (const element of elements) {
    const key = isRecord(element) ? element[field] : undefined;
    if (typeof key !== 'string' || keys.has(key)) {
      return false;
    }
    keys.add(key);
  }
  return true;
}

function keyOf(element: unknown, field: string): string {
  return (element as Record<string, string>)[field];
}

function diffArraysByIndex(before: readonly unknown[], after: readonly unknown[], path: string): ObjectChange[] {
  const length = Math.max(before.length, after.length);
  const changes: ObjectChange[] = [];
  for (let index = 0; index < length; index++) {
    const elementPath = `${path}[${index}]`;
    if (index >= after.length) {
      changes.push({ path: elementPath, before: before[index] });
    } else if (index >= before.length) {
      changes.push({ path: elementPath, after: after[index] });
    } else {
      changes.push(...diffValues(before[index], after[index], elementPath));
    }
  }
  return changes;
}

function renderValue(change: ObjectChange, side: 'before' | 'after'): string {
  return Object.hasOwn(change, side) ? renderCompact(change[side]) : '(absent)';
}

/** Strings that would read as another type, or that are empty or padded, are quoted. */
const STRING_NEEDS_QUOTES = /^$|^\s|\s$|^(true|false|null|~|yes|no|on|off)$|^[-+]?(\d|\.\d)|["\n\r\t→]|^\(absent\)$/i;

function renderCompact(value: unknown): string {
  if (typeof value === 'string') {
    return STRING_NEEDS_QUOTES.test(value) ? JSON.stringify(value) : value;
  }
  if (value === undefined) {
    return 'undefined';
  }
  return JSON.stringify(value);
}

/**
 * The ApplySet of a stage, as kubectl's KEP-3659 implementation (k8s.io/kubectl
 * pkg/cmd/apply/applyset.go) defines it: a parent Secret whose `applyset.kubernetes.io/id` label
 * names the set, members labelled `applyset.kubernetes.io/part-of` with the same id, and the
 * parent's annotations listing the member kinds and the namespaces besides its own.
 * @module
 */
import { createHash } from 'crypto';
import type { KubeObject } from '../manifest/types';
import { asRecord, stringMap } from '../manifest/objects';
import { UserError } from '../errors';
import { groupOf } from './cluster-api';

export const APPLYSET_ID_LABEL = 'applyset.kubernetes.io/id';
export const APPLYSET_PART_OF_LABEL = 'applyset.kubernetes.io/part-of';
export const APPLYSET_TOOLING_ANNOTATION = 'applyset.kubernetes.io/tooling';
export const APPLYSET_GROUP_KINDS_ANNOTATION = 'applyset.kubernetes.io/contains-group-kinds';
export const APPLYSET_NAMESPACES_ANNOTATION = 'applyset.kubernetes.io/additional-namespaces';

/** The tool name in the tooling annotation; kubectl refuses to change a set whose tooling names another tool. */
export const TOOLING_NAME = 'habr-k8s';
/** kubectl applies the parent as `<tool>-applyset`. */
export const PARENT_FIELD_MANAGER = `${TOOLING_NAME}-applyset`;

/** The parent object of an ApplySet: a Secret (kubectl's default parent type) in a namespace. */
export interface ApplySetParent {
  readonly name: string;
  readonly namespace: string;
}

/** The parent of a stage's set: Secret `habr-k8s-<stage>`, i.e. `kubectl apply --applyset=secret/habr-k8s-<stage> -n <namespace>`. */
export function stageParent(stage: string, namespace: string): ApplySetParent {
  return { name: `${TOOLING_NAME}-${stage}`, namespace };
}

/**
 * The set's id, computed as kubectl's `ApplySet.ID()`: base64url (no padding) of the SHA-256 of
 * `<name>.<namespace>.<kind>.<group>` of the parent, between `applyset-` and `-v1`.
 */
export function applySetId(parent: ApplySetParent): string {
  const hashed = createHash('sha256').update([parent.name, parent.namespace, 'Secret', ''].join('.')).digest('base64url');
  return `applyset-${hashed}-v1`;
}

/** `Kind` for the core group, `Kind.group` otherwise: how `contains-group-kinds` lists kinds (schema.GroupKind.String()). */
export function groupKindOf(object: Pick<KubeObject, 'apiVersion' | 'kind'>): string {
  const group = groupOf(object.apiVersion);
  return group ? `${object.kind}.${group}` : object.kind;
}

/** The group and kind of a `contains-group-kinds` entry (schema.ParseGroupKind: the kind is before the first dot). */
export function parseGroupKind(groupKind: string): { readonly group: string; readonly kind: string } {
  const dot = groupKind.indexOf('.');
  return dot < 0 ? { group: '', kind: groupKind } : { group: groupKind.slice(dot + 1), kind: groupKind.slice(0, dot) };
}

/** The kinds and namespaces a set covers: what the parent's annotations record. */
export interface ApplySetContents {
  readonly groupKinds: ReadonlySet<string>;
  /** Every namespace with members, the parent's own included. */
  readonly namespaces: ReadonlySet<string>;
}

/** `object` with the member label of set `id`; input that sets the label itself is refused, as kubectl refuses it. */
export function asMember(object: KubeObject, id: string): KubeObject {
  const labels = stringMap(object.metadata?.labels);
  if (APPLYSET_PART_OF_LABEL in labels) {
    throw new UserError(`${object.kind} ${object.metadata?.name}: the label ${APPLYSET_PART_OF_LABEL} is set in the manifests; deploy sets it, remove it`);
  }
  return { ...object, metadata: { ...object.metadata, labels: { ...labels, [APPLYSET_PART_OF_LABEL]: id } } };
}

function sortedList(values: Iterable<string>): string {
  return [...values].sort().join(',');
}

/** The parent Secret recording `contents`, as kubectl's buildParentPatch writes it (the parent's namespace is not listed as additional). */
export function parentObject(parent: ApplySetParent, contents: ApplySetContents, toolingVersion: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: parent.name,
      namespace: parent.namespace,
      labels: { [APPLYSET_ID_LABEL]: applySetId(parent) },
      annotations: {
        [APPLYSET_TOOLING_ANNOTATION]: `${TOOLING_NAME}/${toolingVersion}`,
        [APPLYSET_GROUP_KINDS_ANNOTATION]: sortedList(contents.groupKinds),
        [APPLYSET_NAMESPACES_ANNOTATION]: sortedList([...contents.namespaces].filter((namespace) => namespace !== parent.namespace)),
      },
    },
  };
}

function splitList(value: string | undefined): string[] {
  return value ? value.split(',').filter((item) => item !== '') : [];
}

/**
 * What a live parent records, after the checks kubectl makes before it touches a set: the tooling
 * is ours and the id label is right. `undefined` (no parent yet) is an empty set.
 */
export function parentContents(parent: ApplySetParent, live: KubeObject | undefined): ApplySetContents {
  if (!live) return { groupKinds: new Set(), namespaces: new Set([parent.namespace]) };
  const where = `ApplySet parent Secret ${parent.namespace}/${parent.name}`;
  const labels = stringMap(asRecord(live.metadata)?.labels);
  const annotations = stringMap(asRecord(live.metadata)?.annotations);
  const tooling = annotations[APPLYSET_TOOLING_ANNOTATION];
  if (tooling === undefined) throw new UserError(`${where} exists without the annotation ${APPLYSET_TOOLING_ANNOTATION}: it is not a set's parent; rename the stage's parent or delete that Secret`);
  const tool = tooling.includes('/') ? tooling.slice(0, tooling.lastIndexOf('/')) : tooling;
  if (tool !== TOOLING_NAME) throw new UserError(`${where} is managed by ${tool}, not ${TOOLING_NAME}; deploy refuses to change another tool's set`);
  if (labels[APPLYSET_ID_LABEL] !== applySetId(parent)) {
    throw new UserError(`${where} has ${APPLYSET_ID_LABEL}=${labels[APPLYSET_ID_LABEL] ?? '(none)'}, expected ${applySetId(parent)}`);
  }
  return {
    groupKinds: new Set(splitList(annotations[APPLYSET_GROUP_KINDS_ANNOTATION])),
    namespaces: new Set([parent.namespace, ...splitList(annotations[APPLYSET_NAMESPACES_ANNOTATION])]),
  };
}

/** The union of two contents: what the parent records while a deploy is under way, so an interrupted one leaks nothing. */
export function unionContents(a: ApplySetContents, b: ApplySetContents): ApplySetContents {
  return { groupKinds: new Set([...a.groupKinds, ...b.groupKinds]), namespaces: new Set([...a.namespaces, ...b.namespaces]) };
}

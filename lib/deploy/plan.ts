/**
 * What a deploy will do, before it does anything: every object server-side dry-run applied as the
 * deploy would apply it, the result compared field by field with the live object (as `kubectl diff
 * --server-side` does: both sides carry the server's defaults, managed fields and bookkeeping are
 * left out, Secret values masked), and the members of the set the app no longer has (the prune set).
 * @module
 */
import type { KubeObject, SourcedObject } from '../manifest/types';
import { asRecord, asString, field, identify, isRecord } from '../manifest/objects';
import { diffManifests, ManifestDiff, ObjectIdentity } from '../diff/diff';
import { ApiError, ClusterApi, groupOf, isNotFound, ObjectRef, refOf } from './cluster-api';
import {
  APPLYSET_PART_OF_LABEL, ApplySetContents, ApplySetParent, applySetId, asMember, groupKindOf, parentContents, parseGroupKind,
} from './applyset';
import { DEFAULT_CONCURRENCY, mapBounded } from './parallel';
import { readLive } from './read-live';

/** The field manager of every apply a deploy makes. */
export const FIELD_MANAGER = 'habr-k8s';

/** Kinds whose pruning loses data or everything inside them: pruned only with an explicit flag. */
export const PROTECTED_KINDS: Readonly<Record<string, string>> = {
  Namespace: '--prune-namespaces',
  PersistentVolumeClaim: '--prune-claims',
};

export interface PlanOptions {
  readonly parent: ApplySetParent;
  /** Take over fields other managers own instead of reporting the conflict. @default false */
  readonly forceConflicts?: boolean;
  /** Protected kinds (see {@link PROTECTED_KINDS}) that may be pruned. @default - none */
  readonly pruneProtected?: ReadonlySet<string>;
  /** Requests in flight at once. @default DEFAULT_CONCURRENCY (32) */
  readonly concurrency?: number;
}

/** One object of the app and what applying it will do. */
export interface PlannedObject {
  /** The object as it will be applied: the manifest plus the set's member label. */
  readonly object: KubeObject;
  readonly source: string;
  /** `Kind namespace/name`. */
  readonly label: string;
  readonly action: 'create' | 'update' | 'unchanged';
}

/** An object the server refused on the dry-run, in its words. */
export interface Refusal {
  readonly label: string;
  readonly source: string;
  readonly message: string;
}

/** A member of the set the app no longer has. */
export interface PruneTarget {
  readonly ref: ObjectRef;
  readonly label: string;
  /** Why it stays although it left the app: the flag it needs. */
  readonly keptBecause?: string;
}

export interface DeployPlan {
  readonly parent: ApplySetParent;
  readonly applySetId: string;
  /** What the parent records now (empty before the first deploy). */
  readonly liveContents: ApplySetContents;
  /** What it will record after this deploy. */
  readonly contents: ApplySetContents;
  readonly objects: readonly PlannedObject[];
  readonly refusals: readonly Refusal[];
  readonly prune: readonly PruneTarget[];
  /** Per object and field, live → after the deploy; `removed` are the prune targets. */
  readonly diff: ManifestDiff;
  /** Objects not dry-run because their namespace or CRD is created by this deploy. */
  readonly unchecked: readonly string[];
}

/** Fields that say nothing about what a deploy changes: bookkeeping, ownership, and the status controllers write. */
function comparable(object: KubeObject): KubeObject {
  const metadata = { ...asRecord(object.metadata) };
  for (const key of ['managedFields', 'resourceVersion', 'generation', 'uid', 'creationTimestamp', 'selfLink']) delete metadata[key];
  const { status: _status, ...rest } = object as KubeObject & { status?: unknown };
  return { ...rest, metadata } as KubeObject;
}

/** Secret values replaced by a mask that still tells equal from changed, as kubectl diff masks them. */
function maskSecrets(before: KubeObject | undefined, after: KubeObject): [KubeObject | undefined, KubeObject] {
  if (after.kind !== 'Secret' || groupOf(after.apiVersion) !== '') return [before, after];
  const beforeData = asRecord((before as Record<string, unknown> | undefined)?.data) ?? {};
  const afterData = asRecord((after as Record<string, unknown>).data) ?? {};
  const mask = (own: Record<string, unknown>, other: Record<string, unknown>, side: string) => Object.fromEntries(Object.entries(own)
    .map(([key, value]) => [key, key in other && other[key] === value ? '***' : `*** (${side})`]));
  const masked = (object: KubeObject, data: Record<string, unknown>) => (isRecord((object as Record<string, unknown>).data) ? { ...object, data } : object);
  return [before && masked(before, mask(beforeData, afterData, 'before')), masked(after, mask(afterData, beforeData, 'after'))];
}

function identityOf(ref: ObjectRef, label: string): ObjectIdentity {
  return { id: label, group: groupOf(ref.apiVersion), kind: ref.kind, ...(ref.namespace === undefined ? {} : { namespace: ref.namespace }), name: ref.name, source: 'live' };
}

function memberKey(groupKind: string, namespace: string | undefined, name: string): string {
  return JSON.stringify([groupKind, namespace ?? '', name]);
}

/** A refusal in one line: the server's message, or for a field-manager conflict the fields and their managers. */
export function refusalMessage(error: unknown): string {
  if (error instanceof ApiError && error.status === 409 && error.causes.length > 0) {
    const conflicts = error.causes.map((cause) => `${cause.field ?? '?'} (${(cause.message ?? '').replace(/^conflict with /, 'owned by ')})`);
    return `field-manager conflict: ${conflicts.join(', ')}; --force-conflicts takes them over`;
  }
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}

/** The objects of the set the app no longer has, listed as kubectl's pruner lists them: by kind, namespace and member label. */
async function pruneTargets(api: ClusterApi, id: string, live: ApplySetContents, desired: readonly KubeObject[], options: PlanOptions): Promise<PruneTarget[]> {
  const wanted = new Set(desired.map((object) => {
    const ref = refOf(object);
    return memberKey(groupKindOf(object), ref.namespace, ref.name);
  }));
  const versionOf = new Map(desired.map((object) => [groupKindOf(object), object.apiVersion]));
  const lists = await mapBounded([...live.groupKinds].sort(), options.concurrency ?? DEFAULT_CONCURRENCY, async (groupKind): Promise<PruneTarget[]> => {
    const { group, kind } = parseGroupKind(groupKind);
    const apiVersion = versionOf.get(groupKind) ?? await preferredApiVersion(api, group);
    if (apiVersion === undefined) return [];
    const namespaces = await api.isNamespaced(apiVersion, kind) ? [...live.namespaces].sort() : [undefined];
    const found = (await Promise.all(namespaces.map((namespace) => api.list(apiVersion, kind, namespace, `${APPLYSET_PART_OF_LABEL}=${id}`)))).flat();
    return found.flatMap((object): PruneTarget[] => {
      const name = asString(object.metadata?.name) ?? '';
      const namespace = asString(object.metadata?.namespace) || undefined;
      if (wanted.has(memberKey(groupKind, namespace, name))) return [];
      const ref: ObjectRef = { apiVersion, kind, name, ...(namespace === undefined ? {} : { namespace }) };
      const flag = PROTECTED_KINDS[kind];
      const keptBecause = flag !== undefined && group === '' && !options.pruneProtected?.has(kind) ? `a ${kind} is pruned only with ${flag}` : undefined;
      return [{ ref, label: identify(object).label, ...(keptBecause ? { keptBecause } : {}) }];
    });
  });
  return lists.flat().sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}

async function preferredApiVersion(api: ClusterApi, group: string): Promise<string | undefined> {
  const version = await api.preferredVersion(group);
  return version === undefined ? undefined : group ? `${group}/${version}` : version;
}

/** The kinds and namespaces of `objects`, as the parent records them. */
export function contentsOf(objects: readonly KubeObject[], parent: ApplySetParent): ApplySetContents {
  return {
    groupKinds: new Set(objects.map(groupKindOf)),
    namespaces: new Set([parent.namespace, ...objects.flatMap((object) => refOf(object).namespace ?? [])]),
  };
}

/** Dry-runs every object, diffs it against the live one and lists the prune set; nothing is changed on the cluster. */
export async function planDeploy(objects: readonly SourcedObject[], api: ClusterApi, options: PlanOptions): Promise<DeployPlan> {
  const id = applySetId(options.parent);
  const liveParent = await api.get({ apiVersion: 'v1', kind: 'Secret', name: options.parent.name, namespace: options.parent.namespace });
  const liveContents = parentContents(options.parent, liveParent);
  const members = objects.map(({ object }) => asMember(object, id));
  const createdNamespaces = new Set(members.filter((object) => object.kind === 'Namespace').map((object) => refOf(object).name));
  const createdKinds = new Set(members.filter((object) => object.kind === 'CustomResourceDefinition')
    .map((crd) => `${asString(field(crd, 'spec', 'names', 'kind'))}.${asString(field(crd, 'spec', 'group'))}`));
  /** The server cannot check an object whose namespace or CRD this deploy creates: it does not exist yet. */
  const createdHere = (object: KubeObject, ref: ObjectRef) => (ref.namespace !== undefined && createdNamespaces.has(ref.namespace)) || createdKinds.has(groupKindOf(object));

  type Outcome = { live?: KubeObject; after?: KubeObject; refusal?: string; unchecked?: boolean };
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const outcomes = await mapBounded(members, concurrency, async (object): Promise<Outcome> => {
    const ref = refOf(object);
    try {
      return { after: await api.apply(object, { fieldManager: FIELD_MANAGER, dryRun: true, force: options.forceConflicts ?? false }) };
    } catch (error) {
      if (isNotFound(error) && createdHere(object, ref)) return { unchecked: true };
      return { refusal: refusalMessage(error) };
    }
  });
  // The live side of the diff, for the objects the server checked: many of a kind by one list.
  const checked = outcomes.flatMap((outcome, index) => (outcome.after ? [index] : []));
  const lives = await readLive(api, checked.map((index) => refOf(members[index])), concurrency);
  checked.forEach((index, position) => {
    const live = lives[position];
    outcomes[index] = live instanceof Error ? { refusal: refusalMessage(live) } : { ...outcomes[index], live };
  });

  const planned: PlannedObject[] = [];
  const refusals: Refusal[] = [];
  const unchecked: string[] = [];
  const before: SourcedObject[] = [];
  const after: SourcedObject[] = [];
  outcomes.forEach((outcome, index) => {
    const { source, order } = objects[index];
    const object = members[index];
    const label = identify(object).label;
    if (outcome.refusal !== undefined) {
      refusals.push({ label, source, message: outcome.refusal });
      return;
    }
    if (outcome.unchecked) unchecked.push(label);
    const [liveSide, afterSide] = maskSecrets(outcome.live && comparable(outcome.live), comparable(outcome.after ?? object));
    if (liveSide) before.push({ object: liveSide, source, order });
    after.push({ object: afterSide, source, order });
    planned.push({ object, source, label, action: 'create' });
  });
  const diff = diffManifests(before, after);
  const changed = new Set(diff.changed.map((change) => change.id));
  const added = new Set(diff.added.map((identity) => identity.id));
  const withActions = planned.map((item): PlannedObject => ({ ...item, action: added.has(item.label) ? 'create' : changed.has(item.label) ? 'update' : 'unchanged' }));

  const prune = refusals.length ? [] : await pruneTargets(api, id, liveContents, members, options);
  return {
    parent: options.parent,
    applySetId: id,
    liveContents,
    contents: contentsOf(members, options.parent),
    objects: withActions,
    refusals,
    prune,
    diff: { ...diff, removed: prune.filter((target) => !target.keptBecause).map((target) => identityOf(target.ref, target.label)) },
    unchecked,
  };
}

/** Whether the deploy changes anything on the cluster. */
export function planChanges(plan: DeployPlan): boolean {
  return plan.diff.added.length + plan.diff.changed.length + plan.diff.removed.length > 0;
}

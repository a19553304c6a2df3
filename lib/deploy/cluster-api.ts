/**
 * What the deploy engine asks of a cluster: a handful of verbs on plain JSON objects. The engine is
 * written against this interface; `connectCluster` (kube-client.ts) implements it with the official
 * JavaScript client, and the unit tests with an in-memory fake.
 * @module
 */
import type { KubeObject } from '../manifest/types';
import { asRecord, asString, isClusterScoped } from '../manifest/objects';

/** Names one object on the server. `namespace` is absent for cluster-scoped kinds. */
export interface ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

/** One cause of a refusal, as the server's Status lists them (e.g. a field-manager conflict). */
export interface RefusalCause {
  readonly reason?: string;
  readonly message?: string;
  readonly field?: string;
}

/** The server refused a request: its HTTP status, the Status reason (`Conflict`, `Invalid`, `NotFound`), its message and causes. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly causes: readonly RefusalCause[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Whether `error` is the server saying the object (or its namespace) does not exist. */
export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}

/** Whether `error` is an optimistic-concurrency or field-manager conflict (HTTP 409). */
export function isConflict(error: unknown): boolean {
  return error instanceof ApiError && error.status === 409;
}

export interface ApplyRequest {
  /** The field manager the apply is made as. */
  readonly fieldManager: string;
  /** Server-side dry-run: everything but storing. */
  readonly dryRun: boolean;
  /** Take over fields another manager owns (`--force-conflicts`). */
  readonly force: boolean;
}

/** One event of a watch: an object added, changed or deleted, a bookmark (a newer resourceVersion), or an error Status (410 Gone: the version is too old). */
export interface WatchEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  /** The object; for `ERROR` the server's Status (`code` 410 when the resourceVersion is gone). */
  readonly object: KubeObject;
}

/** A list with the collection's resourceVersion, the point a watch starts from. */
export interface VersionedList {
  readonly items: KubeObject[];
  readonly resourceVersion: string;
}

/** Where a watch's events go. */
export interface WatchHandlers {
  /** Each event in the server's order. */
  event(event: WatchEvent): void;
  /** The watch ended: `undefined` when the stream closed (the server ends watches now and then), else why it failed. */
  end(error?: Error): void;
}

/** The verbs the deploy engine uses; every object in and out is plain JSON. */
export interface ClusterApi {
  /** Server-side apply of `object`; resolves with the object as stored (or as it would be, on a dry-run). */
  apply(object: KubeObject, request: ApplyRequest): Promise<KubeObject>;
  /** The live object, or `undefined` when it does not exist. */
  get(ref: ObjectRef): Promise<KubeObject | undefined>;
  /** The objects of one kind in one namespace (every namespace is not used), or cluster-wide for a cluster-scoped kind. */
  list(apiVersion: string, kind: string, namespace: string | undefined, labelSelector?: string): Promise<KubeObject[]>;
  /** As {@link list} without a selector, with the collection's resourceVersion to watch from. */
  listVersioned(apiVersion: string, kind: string, namespace: string | undefined): Promise<VersionedList>;
  /**
   * Watches the objects of one kind in one namespace from `resourceVersion` (bookmarks allowed).
   * Resolves once the server accepted the watch, with the function that stops it; a watch the server
   * refuses or cannot be reached rejects. Later failures and the stream's end go to `handlers.end`.
   */
  watch(apiVersion: string, kind: string, namespace: string | undefined, resourceVersion: string, handlers: WatchHandlers): Promise<() => void>;
  /** Creates `object`; an existing one is a conflict (409). */
  create(object: KubeObject): Promise<KubeObject>;
  /** Replaces `object`, which carries the resourceVersion it was read at; a newer one is a conflict (409). */
  replace(object: KubeObject): Promise<KubeObject>;
  /** Deletes the object (foreground propagation: dependents go first); a missing one is not an error. */
  delete(ref: ObjectRef): Promise<void>;
  /** The events about one object, oldest first. */
  events(ref: ObjectRef): Promise<KubeObject[]>;
  /** The version the server prefers for `group` (`''` = core), or `undefined` when it serves no such group. */
  preferredVersion(group: string): Promise<string | undefined>;
  /** Whether the server serves `kind` of `apiVersion` in namespaces. */
  isNamespaced(apiVersion: string, kind: string): Promise<boolean>;
}

/** The reference of an object: a namespaced kind without a namespace is in `default`. */
export function refOf(object: KubeObject): ObjectRef {
  const name = asString(object.metadata?.name) ?? '';
  const namespace = isClusterScoped(object.kind) ? undefined : asString(object.metadata?.namespace) || 'default';
  return { apiVersion: object.apiVersion, kind: object.kind, name, ...(namespace === undefined ? {} : { namespace }) };
}

/** The API group of an `apiVersion` (`apps/v1` → `apps`, `v1` → `''`). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** The numeric `metadata.generation` of a live object, or `undefined`. */
export function generationOf(object: KubeObject | undefined): number | undefined {
  const generation = asRecord(object?.metadata)?.generation;
  return typeof generation === 'number' ? generation : undefined;
}

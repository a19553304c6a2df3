/**
 * An in-memory {@link ClusterApi} for the deploy engine's unit tests: objects by group, kind,
 * namespace and name; server-side apply that merges the applied fields over the live ones, adds the
 * defaults a test registers, and bumps `metadata.generation` when the spec changes; refusals and
 * failures a test injects. It records every change so tests can say what was (not) written.
 */
import type { KubeObject } from '../../lib/manifest/types';
import { ApiError, ApplyRequest, ClusterApi, groupOf, ObjectRef, refOf, VersionedList, WatchEvent, WatchHandlers } from '../../lib/deploy/cluster-api';
import { isClusterScoped, isRecord, stringMap } from '../../lib/manifest/objects';
import type { Clock } from '../../lib/deploy/clock';

type Json = Record<string, unknown>;

function keyOf(ref: ObjectRef): string {
  return JSON.stringify([groupOf(ref.apiVersion), ref.kind, ref.namespace ?? '', ref.name]);
}

function merge(live: unknown, applied: unknown): unknown {
  if (isRecord(live) && isRecord(applied)) {
    const result: Json = { ...live };
    for (const [key, value] of Object.entries(applied)) result[key] = merge(live[key], value);
    return result;
  }
  return structuredClone(applied);
}

function matches(selector: string | undefined, object: KubeObject): boolean {
  if (!selector) return true;
  const labels = stringMap(object.metadata?.labels);
  return selector.split(',').every((term) => {
    const [key, value] = term.split('=');
    return labels[key] === value;
  });
}

export interface Change {
  readonly verb: 'apply' | 'create' | 'replace' | 'delete';
  readonly label: string;
}

export class FakeCluster implements ClusterApi {
  readonly objects = new Map<string, KubeObject>();
  readonly changes: Change[] = [];
  readonly events: (ref: ObjectRef) => Promise<KubeObject[]>;
  /** Refusal by object name, thrown on apply (dry-run or not). */
  readonly refusals = new Map<string, ApiError>();
  /** Fields the "server" defaults on apply, by kind. */
  readonly defaults = new Map<string, Json>();
  /** Called after each real apply: tests make controllers act (set status) here. */
  onApplied: (object: KubeObject) => void = () => undefined;
  /** Events by object name. */
  readonly eventsByName = new Map<string, KubeObject[]>();
  /** Kinds the fake serves; others are 404 on apply. */
  readonly served = new Set<string>();
  /** Thrown by every watch request: the server refuses watches (the wait polls instead). */
  watchRefusal?: ApiError;
  /** While set, every read and watch fails with it and no watch stays open: the API server is away. */
  private away?: Error;
  /** Every change as a watch sees it, by resourceVersion; a watch from before `oldestVersion` is told 410 Gone. */
  private readonly history: Array<{ readonly version: number; readonly event: WatchEvent }> = [];
  private oldestVersion = 0;
  private readonly watchers = new Set<{ readonly apiVersion: string; readonly kind: string; readonly namespace?: string; readonly handlers: WatchHandlers }>();
  /** The watch requests made, as `kind namespace from version`. */
  readonly watchRequests: string[] = [];
  private resourceVersion = 1;

  constructor(served: readonly string[] = []) {
    served.forEach((kind) => this.served.add(kind));
    this.events = async (ref) => this.eventsByName.get(ref.name) ?? [];
  }

  private label(ref: ObjectRef): string {
    return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
  }

  put(object: KubeObject): KubeObject {
    const key = keyOf(refOf(object));
    const type = this.objects.has(key) ? 'MODIFIED' : 'ADDED';
    const stored = structuredClone({ ...object, metadata: { ...object.metadata, resourceVersion: String(this.resourceVersion++), uid: `uid-${object.metadata?.name}` } });
    this.objects.set(key, stored);
    this.record(type, stored);
    return stored;
  }

  private record(type: WatchEvent['type'], object: KubeObject): void {
    const event = { type, object: structuredClone(object) };
    this.history.push({ version: Number(object.metadata?.resourceVersion), event });
    for (const watcher of this.watchers) if (this.watches(watcher, object)) watcher.handlers.event(structuredClone(event));
  }

  private watches(watcher: { readonly apiVersion: string; readonly kind: string; readonly namespace?: string }, object: KubeObject): boolean {
    return groupOf(object.apiVersion) === groupOf(watcher.apiVersion) && object.kind === watcher.kind && (watcher.namespace === undefined || object.metadata?.namespace === watcher.namespace);
  }

  /** The API server goes away (open watches end, requests fail with `error`) or, with `undefined`, comes back. */
  setAway(error: Error | undefined): void {
    this.away = error;
    if (error) this.closeWatches();
  }

  /** Ends every open watch, as a server does now and then. */
  closeWatches(): void {
    const open = [...this.watchers];
    this.watchers.clear();
    for (const watcher of open) watcher.handlers.end();
  }

  /** Forgets the history (as etcd compacts it): open watches and watches from an older version get 410 Gone. */
  compact(): void {
    this.oldestVersion = this.resourceVersion;
    const open = [...this.watchers];
    this.watchers.clear();
    for (const watcher of open) watcher.handlers.event(this.gone());
  }

  private gone(): WatchEvent {
    return { type: 'ERROR', object: { apiVersion: 'v1', kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version' } as unknown as KubeObject };
  }

  async listVersioned(apiVersion: string, kind: string, namespace: string | undefined): Promise<VersionedList> {
    const items = await this.list(apiVersion, kind, namespace);
    return { items, resourceVersion: String(this.resourceVersion - 1) };
  }

  async watch(apiVersion: string, kind: string, namespace: string | undefined, resourceVersion: string, handlers: WatchHandlers): Promise<() => void> {
    this.watchRequests.push(`${kind} ${namespace ?? ''} from ${resourceVersion}`);
    if (this.away) throw this.away;
    if (this.watchRefusal) throw this.watchRefusal;
    const from = Number(resourceVersion);
    const watcher = { apiVersion, kind, namespace, handlers };
    if (from < this.oldestVersion - 1) {
      handlers.event(this.gone());
      return () => undefined;
    }
    for (const { version, event } of this.history) if (version > from && this.watches(watcher, event.object)) handlers.event(structuredClone(event));
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }

  async apply(object: KubeObject, request: ApplyRequest): Promise<KubeObject> {
    const ref = refOf(object);
    const refusal = this.refusals.get(ref.name);
    if (refusal) throw refusal;
    if (this.served.size && !this.served.has(object.kind)) throw new ApiError(404, 'NotFound', `the server does not serve ${object.kind}`);
    if (ref.namespace && ref.namespace !== 'default' && !this.objects.has(keyOf({ apiVersion: 'v1', kind: 'Namespace', name: ref.namespace }))) {
      throw new ApiError(404, 'NotFound', `namespaces "${ref.namespace}" not found`);
    }
    const live = this.objects.get(keyOf(ref));
    const withDefaults = merge(this.defaults.get(object.kind) ?? {}, object) as KubeObject;
    const merged = merge(live ?? {}, withDefaults) as KubeObject & { spec?: unknown };
    const liveGeneration = (live?.metadata as Json | undefined)?.generation as number | undefined;
    const specChanged = JSON.stringify((live as Json | undefined)?.spec) !== JSON.stringify(merged.spec);
    const generation = liveGeneration === undefined ? 1 : liveGeneration + (specChanged ? 1 : 0);
    const result = { ...merged, metadata: { ...merged.metadata, generation, managedFields: [{ manager: request.fieldManager }] } } as KubeObject;
    if (request.dryRun) return structuredClone(result);
    this.changes.push({ verb: 'apply', label: this.label(ref) });
    const stored = this.put(result);
    this.onApplied(stored);
    return structuredClone(this.objects.get(keyOf(ref)) ?? stored);
  }

  async get(ref: ObjectRef): Promise<KubeObject | undefined> {
    if (this.away) throw this.away;
    const found = this.objects.get(keyOf(ref));
    return found && structuredClone(found);
  }

  async list(apiVersion: string, kind: string, namespace: string | undefined, labelSelector?: string): Promise<KubeObject[]> {
    if (this.away) throw this.away;
    return [...this.objects.values()]
      .filter((object) => groupOf(object.apiVersion) === groupOf(apiVersion) && object.kind === kind)
      .filter((object) => namespace === undefined || object.metadata?.namespace === namespace)
      .filter((object) => matches(labelSelector, object))
      .map((object) => structuredClone(object));
  }

  async create(object: KubeObject): Promise<KubeObject> {
    const ref = refOf(object);
    if (this.objects.has(keyOf(ref))) throw new ApiError(409, 'AlreadyExists', `${ref.name} already exists`);
    this.changes.push({ verb: 'create', label: this.label(ref) });
    return this.put(object);
  }

  async replace(object: KubeObject): Promise<KubeObject> {
    const ref = refOf(object);
    const live = this.objects.get(keyOf(ref));
    if (!live) throw new ApiError(404, 'NotFound', `${ref.name} not found`);
    if (object.metadata?.resourceVersion !== live.metadata?.resourceVersion) throw new ApiError(409, 'Conflict', 'the object has been modified');
    this.changes.push({ verb: 'replace', label: this.label(ref) });
    return this.put(object);
  }

  async delete(ref: ObjectRef): Promise<void> {
    const live = this.objects.get(keyOf(ref));
    if (!live || !this.objects.delete(keyOf(ref))) return;
    this.changes.push({ verb: 'delete', label: this.label(ref) });
    this.record('DELETED', { ...live, metadata: { ...live.metadata, resourceVersion: String(this.resourceVersion++) } });
  }

  async preferredVersion(group: string): Promise<string | undefined> {
    return { '': 'v1', apps: 'v1', batch: 'v1', 'networking.k8s.io': 'v1' }[group];
  }

  async isNamespaced(_apiVersion: string, kind: string): Promise<boolean> {
    return !isClusterScoped(kind);
  }
}

/** A clock that moves only when the code under test sleeps. */
export class FakeClock implements Clock {
  /** Called after each sleep with the time slept so far: tests change the cluster here. */
  onSleep: (elapsed: number) => void = () => undefined;
  private readonly start: number;
  constructor(public time = Date.parse('2026-01-01T00:00:00Z')) {
    this.start = time;
  }
  now(): number {
    return this.time;
  }
  async sleep(milliseconds: number): Promise<void> {
    this.time += milliseconds;
    this.onSleep(this.time - this.start);
  }
}

/** A clock that never moves by itself: a sleep ends only when its signal aborts, so whatever ends a wait is an event, not the time. */
export class StoppedClock implements Clock {
  constructor(readonly time = Date.parse('2026-01-01T00:00:00Z')) {}
  now(): number {
    return this.time;
  }
  sleep(_milliseconds: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) resolve();
      signal?.addEventListener('abort', () => resolve(), { once: true });
    });
  }
}

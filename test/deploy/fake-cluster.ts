/**
 * An in-memory {@link ClusterApi} for the deploy engine's unit tests: objects by group, kind,
 * namespace and name; server-side apply that merges the applied fields over the live ones, adds the
 * defaults a test registers, and bumps `metadata.generation` when the spec changes; refusals and
 * failures a test injects. It records every change so tests can say what was (not) written.
 */
import type { KubeObject } from '../../lib/manifest/types';
import { ApiError, ApplyRequest, ClusterApi, groupOf, ObjectRef, refOf } from '../../lib/deploy/cluster-api';
import { isClusterScoped, isRecord, stringMap } from '../../lib/manifest/objects';
import { Clock } from '../../lib/deploy/wait';

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
  private resourceVersion = 1;

  constructor(served: readonly string[] = []) {
    served.forEach((kind) => this.served.add(kind));
    this.events = async (ref) => this.eventsByName.get(ref.name) ?? [];
  }

  private label(ref: ObjectRef): string {
    return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
  }

  put(object: KubeObject): KubeObject {
    const stored = structuredClone({ ...object, metadata: { ...object.metadata, resourceVersion: String(this.resourceVersion++), uid: `uid-${object.metadata?.name}` } });
    this.objects.set(keyOf(refOf(object)), stored);
    return stored;
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
    const found = this.objects.get(keyOf(ref));
    return found && structuredClone(found);
  }

  async list(apiVersion: string, kind: string, namespace: string | undefined, labelSelector?: string): Promise<KubeObject[]> {
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
    if (this.objects.delete(keyOf(ref))) this.changes.push({ verb: 'delete', label: this.label(ref) });
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
  constructor(public time = Date.parse('2026-01-01T00:00:00Z')) {}
  now(): number {
    return this.time;
  }
  async sleep(milliseconds: number): Promise<void> {
    this.time += milliseconds;
  }
}

/**
 * The wait's reads of the objects it awaits, kept current by watches instead of a list per look: per
 * kind and namespace one list, then a watch from the list's resourceVersion, as client-go's
 * reflector (k8s.io/client-go tools/cache/reflector.go) keeps an informer's cache. A watch the
 * server ends is started again from the last resourceVersion seen (bookmarks included); a `410
 * Gone` (the version is too old, e.g. after the API server restarted) or a failed watch lists
 * again. While the server cannot be reached, the kind's objects read as that error, until a list
 * works again. A kind whose watch the server refuses (e.g. RBAC without `watch`) is read by the
 * poll: one look per interval, as {@link readLive} reads.
 * @module
 */
import type { KubeObject } from '../manifest/types';
import { asRecord, asString } from '../manifest/objects';
import { ApiError, ClusterApi, ObjectRef, WatchEvent } from './cluster-api';
import { LiveRead, readLive } from './read-live';
import type { Clock } from './clock';

/** How a reader of awaited objects is used by the wait: read, then settle until something changed or the interval is over. */
export interface AwaitedReads {
  /** The live state of each of `refs`, in their order; kinds no longer asked for stop being watched. */
  read(refs: readonly ObjectRef[]): Promise<LiveRead[]>;
  /** Resolves when a watched object changed since the last read, or after `milliseconds`. */
  settle(milliseconds: number): Promise<void>;
  /** Stops every watch. */
  close(): void;
}

export interface WatchedReadsOptions {
  readonly clock: Clock;
  /** Between two attempts when a list or watch fails, and between two looks at a kind read by the poll. */
  readonly retryMilliseconds: number;
  /** Requests in flight at once for the kinds read by the poll. */
  readonly concurrency: number;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** A watch the server refuses for good (not a version too old, not a limit, not the server failing): the kind is polled instead. */
function refusesWatch(error: unknown): boolean {
  return error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 410 && error.status !== 429;
}

/** A watch's ERROR event as an error; `code` 410 is a resourceVersion too old. */
function statusError(status: KubeObject): ApiError {
  const record = asRecord(status) ?? {};
  const code = typeof record.code === 'number' ? record.code : 500;
  return new ApiError(code, asString(record.reason) ?? '', asString(record.message) ?? `watch error ${code}`);
}

/**
 * How one watch ended: `closed` by the server (`quiet`: without any event), `gone` (410: its version
 * is too old), `failed` (an error event, or it could not be started), `refused` for good, or `stopped` by us.
 */
type WatchOutcome =
  | { readonly kind: 'closed'; readonly quiet: boolean }
  | { readonly kind: 'gone' | 'refused' | 'stopped' }
  | { readonly kind: 'failed'; readonly error: Error };

/** The objects of one kind in one namespace, listed and then watched until stopped. */
class KindCache {
  readonly objects = new Map<string, KubeObject>();
  /** Why the objects cannot be read now; cleared by the next list that works. */
  error?: Error;
  /** The server refuses to watch this kind: it is read by the poll. */
  refused = false;
  /** Settles when the first list has answered, with objects or an error. */
  readonly firstAnswer: Promise<void>;
  private answered!: () => void;
  private resourceVersion = '';
  private stopWatch?: () => void;
  private readonly stopping = new AbortController();

  constructor(
    private readonly api: ClusterApi,
    private readonly kind: { readonly apiVersion: string; readonly kind: string; readonly namespace?: string },
    private readonly changed: () => void,
    private readonly options: WatchedReadsOptions,
  ) {
    this.firstAnswer = new Promise((resolve) => (this.answered = resolve));
    void this.run();
  }

  get stopped(): boolean {
    return this.stopping.signal.aborted;
  }

  stop(): void {
    this.stopping.abort();
    this.stopWatch?.();
    this.answered();
  }

  private pause(): Promise<void> {
    return this.options.clock.sleep(this.options.retryMilliseconds, this.stopping.signal);
  }

  private fail(error: unknown): void {
    this.error = asError(error);
    this.answered();
    this.changed();
  }

  private async run(): Promise<void> {
    const { apiVersion, kind, namespace } = this.kind;
    while (!this.stopped) {
      try {
        const list = await this.api.listVersioned(apiVersion, kind, namespace);
        if (this.stopped) return;
        this.objects.clear();
        for (const object of list.items) this.objects.set(asString(object.metadata?.name) ?? '', object);
        this.resourceVersion = list.resourceVersion;
        this.error = undefined;
        this.answered();
        this.changed();
      } catch (error) {
        if (this.stopped) return;
        this.fail(error);
        await this.pause();
        continue;
      }
      // Watch from the list's version; a watch the server closes is started again from the last version seen.
      for (;;) {
        const outcome = await this.watchOnce();
        if (this.stopped || outcome.kind === 'stopped') return;
        if (outcome.kind === 'refused') {
          this.refused = true;
          this.changed();
          return;
        }
        if (outcome.kind === 'gone') break;
        if (outcome.kind === 'failed') {
          this.fail(outcome.error);
          await this.pause();
          break;
        }
        // Closed: a stream that ends at once is not started again at once.
        if (outcome.kind === 'closed' && outcome.quiet) await this.pause();
      }
    }
  }

  /** One watch from the current resourceVersion, until it ends; its events update the objects. */
  private watchOnce(): Promise<WatchOutcome> {
    const { apiVersion, kind, namespace } = this.kind;
    return new Promise((resolve) => {
      let finished = false;
      let events = 0;
      const onStop = () => finish({ kind: 'stopped' });
      const finish = (outcome: WatchOutcome) => {
        if (finished) return;
        finished = true;
        this.stopping.signal.removeEventListener('abort', onStop);
        this.stopWatch?.();
        this.stopWatch = undefined;
        resolve(outcome);
      };
      const event = (watched: WatchEvent) => {
        if (finished || this.stopped) return;
        events += 1;
        if (watched.type === 'ERROR') {
          const error = statusError(watched.object);
          finish(error.status === 410 ? { kind: 'gone' } : { kind: 'failed', error });
          return;
        }
        this.resourceVersion = asString(watched.object.metadata?.resourceVersion) ?? this.resourceVersion;
        if (watched.type === 'BOOKMARK') return;
        const name = asString(watched.object.metadata?.name) ?? '';
        if (watched.type === 'DELETED') this.objects.delete(name);
        else this.objects.set(name, watched.object);
        this.changed();
      };
      // A stream that ends (the server closes watches now and then, or went away; an error after the
      // watch started is the same) is watched again from the last version: if the server is away,
      // that new watch fails to start and the objects read as its error.
      const end = () => finish({ kind: 'closed', quiet: events === 0 });
      this.stopping.signal.addEventListener('abort', onStop, { once: true });
      this.api.watch(apiVersion, kind, namespace, this.resourceVersion, { event, end }).then((stop) => {
        if (finished) stop();
        else this.stopWatch = stop;
      }, (error: unknown) => finish(refusesWatch(error) ? { kind: 'refused' } : { kind: 'failed', error: asError(error) }));
    });
  }
}

/** Reads awaited objects from watched caches (see the module's description). */
export class WatchedReads implements AwaitedReads {
  private readonly caches = new Map<string, KindCache>();
  private changedSinceRead = false;
  private wake?: AbortController;

  constructor(private readonly api: ClusterApi, private readonly options: WatchedReadsOptions) {}

  private readonly changed = (): void => {
    this.changedSinceRead = true;
    this.wake?.abort();
  };

  async read(refs: readonly ObjectRef[]): Promise<LiveRead[]> {
    this.changedSinceRead = false;
    const keyOf = (ref: ObjectRef) => JSON.stringify([ref.apiVersion, ref.kind, ref.namespace ?? '']);
    const wanted = new Set(refs.map(keyOf));
    for (const [key, cache] of this.caches) {
      if (wanted.has(key)) continue;
      cache.stop();
      this.caches.delete(key);
    }
    for (const ref of refs) {
      const key = keyOf(ref);
      if (!this.caches.has(key)) this.caches.set(key, new KindCache(this.api, ref, this.changed, this.options));
    }
    await Promise.all([...this.caches.values()].map((cache) => cache.firstAnswer));
    const reads: LiveRead[] = new Array(refs.length);
    const polled: number[] = [];
    refs.forEach((ref, index) => {
      const cache = this.caches.get(keyOf(ref))!;
      if (cache.refused) polled.push(index);
      else reads[index] = cache.error ?? cache.objects.get(ref.name);
    });
    if (polled.length) {
      const polledReads = await readLive(this.api, polled.map((index) => refs[index]), this.options.concurrency);
      polled.forEach((index, position) => (reads[index] = polledReads[position]));
    }
    return reads;
  }

  async settle(milliseconds: number): Promise<void> {
    if (this.changedSinceRead) return;
    this.wake = new AbortController();
    await this.options.clock.sleep(milliseconds, this.wake.signal);
    this.wake = undefined;
  }

  close(): void {
    for (const cache of this.caches.values()) cache.stop();
    this.caches.clear();
    this.wake?.abort();
  }
}

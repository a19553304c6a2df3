/**
 * Waits until applied objects are ready (see status.ts), printing what is awaited, and explains
 * what is not ready when the time is up: the object's conditions, its pods' scheduling and
 * container problems, and the latest events.
 * @module
 */
import type { KubeObject } from '../manifest/types';
import { asString, field, identify, records, stringMap } from '../manifest/objects';
import { ClusterApi, ObjectRef, refOf } from './cluster-api';
import { containerProblems, objectStatus, ObjectStatus } from './status';
import { DEFAULT_CONCURRENCY } from './parallel';
import type { LiveRead } from './read-live';
import type { Clock } from './clock';
import { AwaitedReads, WatchedReads } from './watched-reads';

export interface WaitOptions {
  readonly clock: Clock;
  /** Give up after this long. */
  readonly timeoutSeconds: number;
  /**
   * The objects are watched, and looked at again as soon as one changes; this is the longest time
   * between two looks, the interval of progress lines, and the poll's interval for a kind the server
   * does not let us watch. @default 1
   */
  readonly pollSeconds?: number;
  /** Called with what is still awaited, at most once per `pollSeconds` (the command shows it as a live line on a terminal). */
  readonly progress?: (line: string) => void;
  /** Requests in flight at once. @default DEFAULT_CONCURRENCY (32) */
  readonly concurrency?: number;
  /** Told, also in CI logs, when the awaited objects cannot be read (an API server restarting) and when they can again. */
  readonly notice?: (line: string) => void;
}

/** An object that did not get ready, and why. */
export interface NotReady {
  readonly label: string;
  readonly reason: string;
  readonly message: string;
  /** Conditions, pod problems and events, one line each. */
  readonly details: readonly string[];
}

/** How an awaited object is named in the progress line: `backend-deployment 1/2 updated`. */
function progressItem(ref: ObjectRef, status: ObjectStatus): string {
  return `${ref.name} ${status.message}`;
}

/** The pods a workload selects by its `matchLabels`, as a label selector string (`undefined` for other kinds). */
function podSelector(object: KubeObject): string | undefined {
  if (!['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'].includes(object.kind)) return undefined;
  const labels = stringMap(field(object, 'spec', 'selector', 'matchLabels'));
  const entries = Object.entries(labels);
  return entries.length ? entries.map(([key, value]) => `${key}=${value}`).join(',') : undefined;
}

function eventLine(event: KubeObject): string {
  const reason = asString(field(event, 'reason')) ?? '';
  const type = asString(field(event, 'type')) ?? '';
  const count = field(event, 'count');
  return `event ${type} ${reason}: ${asString(field(event, 'message'))?.trim() ?? ''}${typeof count === 'number' && count > 1 ? ` (×${count})` : ''}`;
}

const EVENTS_SHOWN = 3;
/** Awaited objects named in one progress line. */
const PROGRESS_ITEMS = 5;
const PODS_SHOWN = 3;

/** Conditions that are not True, pod problems and the latest events of an object that is not ready. */
export async function explainNotReady(api: ClusterApi, object: KubeObject): Promise<string[]> {
  const lines = records(field(object, 'status', 'conditions'))
    .filter((c) => c.status !== 'True' || c.reason === 'ProgressDeadlineExceeded')
    .map((c) => `condition ${asString(c.type)}=${asString(c.status)} ${asString(c.reason) ?? ''}: ${asString(c.message) ?? ''}`.trim());
  const ref = refOf(object);
  lines.push(...(await api.events(ref)).slice(-EVENTS_SHOWN).map(eventLine));
  const selector = podSelector(object);
  if (selector === undefined) return lines;
  const pods = (await api.list('v1', 'Pod', ref.namespace, selector)).filter((pod) => objectStatus(pod).state !== 'Current');
  for (const pod of pods.slice(0, PODS_SHOWN)) {
    const name = asString(pod.metadata?.name) ?? '?';
    const status = objectStatus(pod);
    lines.push(`pod ${name}: ${status.reason}: ${status.message}`, ...containerProblems(pod).map((problem) => `pod ${name}: ${problem}`));
    lines.push(...(await api.events(refOf(pod))).slice(-EVENTS_SHOWN).map((event) => `pod ${name}: ${eventLine(event)}`));
  }
  return lines;
}

interface Look {
  readonly object?: KubeObject;
  readonly status?: ObjectStatus;
  readonly error?: string;
  /** The request failed (the server unreachable, refusing): the object's state is unknown. */
  readonly unreadable?: boolean;
}

/** The look at an object read from a watch is the same until the object changes: each is judged once. */
const looksAt = new WeakMap<KubeObject, Look>();

function lookAt(read: LiveRead): Look {
  if (read instanceof Error) return { error: `cannot read it: ${read.message.split('\n')[0]}`, unreadable: true };
  if (!read) return { error: 'it does not exist (deleted by someone else?)' };
  let look = looksAt.get(read);
  if (!look) looksAt.set(read, look = { object: read, status: objectStatus(read) });
  return look;
}

/**
 * Looks at every object until each is ready, one fails, or the time is up: the objects are watched
 * (watched-reads.ts), and looked at each time one changes. An object that fails (e.g.
 * `ProgressDeadlineExceeded`) is reported at once; errors reaching the server (an API server
 * restarting) are retried until the time is up.
 */
export async function waitForReady(objects: readonly KubeObject[], api: ClusterApi, options: WaitOptions): Promise<NotReady[]> {
  const pollMilliseconds = (options.pollSeconds ?? 1) * 1000;
  const reads = new WatchedReads(api, { clock: options.clock, retryMilliseconds: pollMilliseconds, concurrency: options.concurrency ?? DEFAULT_CONCURRENCY });
  try {
    return await waitWith(reads, objects, api, options, pollMilliseconds);
  } finally {
    reads.close();
  }
}

async function waitWith(reads: AwaitedReads, objects: readonly KubeObject[], api: ClusterApi, options: WaitOptions, pollMilliseconds: number): Promise<NotReady[]> {
  const deadline = options.clock.now() + options.timeoutSeconds * 1000;
  let pending = objects.map((object) => ({ ref: refOf(object), label: identify(object).label }));
  const lastSeen = new Map<string, Look>();
  const failures: NotReady[] = [];
  let unreadableBefore = false;
  let progressAt: number | undefined;
  for (;;) {
    const looks = (await reads.read(pending.map((item) => item.ref))).map(lookAt);
    const unreadableNow = looks.filter((seen) => seen.unreadable);
    if (unreadableNow.length && !unreadableBefore) {
      options.notice?.(`${unreadableNow.length} of ${pending.length} awaited objects: ${unreadableNow[0].error}; trying again until the timeout`);
    } else if (!unreadableNow.length && unreadableBefore) {
      options.notice?.(`the awaited objects can be read again; waiting for ${pending.length}`);
    }
    unreadableBefore = unreadableNow.length > 0;
    for (const [index, item] of pending.entries()) {
      const seen = looks[index];
      looks[index] = seen.error && !seen.object ? { ...lastSeen.get(item.label), error: seen.error } : seen;
      lastSeen.set(item.label, looks[index]);
    }
    const stillPending: typeof pending = [];
    for (const [index, item] of pending.entries()) {
      const seen = looks[index];
      if (seen.status?.state === 'Current' && !seen.error) continue;
      if (seen.status?.state === 'Failed' && !seen.error && seen.object) {
        failures.push({ label: item.label, reason: seen.status.reason, message: seen.status.message, details: await explainNotReady(api, seen.object) });
        continue;
      }
      stillPending.push(item);
    }
    pending = stillPending;
    if (pending.length === 0) return failures;
    if (options.progress && (progressAt === undefined || options.clock.now() - progressAt >= pollMilliseconds)) {
      progressAt = options.clock.now();
      const shown = pending.slice(0, PROGRESS_ITEMS).map((item) => {
        const seen = lastSeen.get(item.label);
        return seen?.status ? progressItem(item.ref, seen.status) : `${item.ref.name} ${seen?.error ?? ''}`;
      });
      options.progress(`waiting for ${pending.length}: ${shown.join(', ')}${pending.length > PROGRESS_ITEMS ? `, ${pending.length - PROGRESS_ITEMS} more` : ''}`);
    }
    if (options.clock.now() >= deadline) break;
    await reads.settle(Math.min(pollMilliseconds, Math.max(0, deadline - options.clock.now())));
  }
  for (const item of pending) {
    const seen = lastSeen.get(item.label);
    const details = seen?.object ? await explainNotReady(api, seen.object).catch((error: Error) => [`cannot explain: ${error.message.split('\n')[0]}`]) : [];
    failures.push({
      label: item.label,
      reason: seen?.status?.reason || 'Unreachable',
      message: `not ready after ${options.timeoutSeconds}s: ${seen?.error ?? seen?.status?.message ?? 'never read'}`,
      details,
    });
  }
  return failures;
}

/** A failure for the report: the object, reason and message, then its details indented. */
export function formatNotReady(failure: NotReady): string {
  return [`${failure.label}: ${failure.reason}: ${failure.message}`, ...failure.details.map((line) => `    ${line}`)].join('\n');
}

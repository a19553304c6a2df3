/**
 * A deploy of one stage: take the stage's Lease, plan (dry-run, diff, prune set), then record the
 * set in its parent, apply, wait until ready, prune, record the set's final contents and the new
 * revision (read while the objects get ready, written after the prune and the parent). Bad input never changes the cluster: any refusal on the dry-run stops before the apply.
 * @module
 */
import type { SourcedObject } from '../manifest/types';
import { formatDiff } from '../diff/diff';
import { UserError } from '../errors';
import { ClusterApi, isNotFound } from './cluster-api';
import { ApplySetParent, parentObject, PARENT_FIELD_MANAGER, unionContents } from './applyset';
import { contentsOf, DeployPlan, planChanges, planDeploy, Refusal } from './plan';
import { applyPlan } from './apply';
import { formatNotReady, waitForReady } from './wait';
import type { Clock } from './clock';
import { acquireLease, LEASE_SECONDS } from './lease';
import { prepareRevision, Revision } from './history';
import { DEFAULT_CONCURRENCY, mapBounded } from './parallel';

export interface DeployOptions {
  readonly stage: string;
  readonly parent: ApplySetParent;
  /** Plan and report only. @default false */
  readonly dryRun?: boolean;
  readonly forceConflicts?: boolean;
  /** Protected kinds that may be pruned (`Namespace`, `PersistentVolumeClaim`). @default - none */
  readonly pruneProtected?: ReadonlySet<string>;
  /** How long the objects may take to get ready. */
  readonly timeoutSeconds: number;
  /** How long to wait for another deploy of the stage. */
  readonly lockWaitSeconds: number;
  /** Revisions kept in the cluster. */
  readonly keepRevisions?: number;
  /** What the revision records as deployed (`dist/prod`, `rollback to 3`). */
  readonly description: string;
  /** The version in the set's tooling annotation (`habr-k8s/<version>`). */
  readonly toolingVersion: string;
  readonly clock: Clock;
  /** A line of the report (stdout). */
  readonly log: (line: string) => void;
  /** What is awaited now; the command shows it on a terminal only. */
  readonly progress?: (line: string) => void;
  /** Requests in flight at once. @default DEFAULT_CONCURRENCY (32) */
  readonly concurrency?: number;
  /** Told at the end, also after a failure, how long each step took (the prune, the parent and the revision's reads overlap). @default - not told */
  readonly timings?: (steps: readonly StepTime[]) => void;
}

/** How long a step of the deploy took in all: `lease`, `plan`, `parent`, `apply`, `wait`, `prune`, `revision`. */
export interface StepTime {
  readonly step: string;
  readonly milliseconds: number;
}

export interface DeployOutcome {
  readonly exitCode: 0 | 1;
  readonly plan?: DeployPlan;
  /** The revision recorded; absent on failure, on a dry-run, and when the objects equal the latest revision. */
  readonly revision?: Revision;
}

/** One line per refused object: its label, file and the server's words. */
export function refusalLines(refusals: readonly Refusal[]): string[] {
  return refusals.map((refusal) => `refused: ${refusal.label} (${refusal.source}): ${refusal.message}`);
}

/** The plan for a person: the diff (or "no changes"), the objects left unpruned and why, the objects not checked. */
export function formatPlan(plan: DeployPlan): string[] {
  const lines = planChanges(plan) ? formatDiff(plan.diff).trimEnd().split('\n') : ['no changes'];
  for (const target of plan.prune.filter((item) => item.keptBecause)) lines.push(`kept ${target.label}: it left the app, but ${target.keptBecause}`);
  for (const label of plan.unchecked) lines.push(`not dry-run: ${label} (its namespace or CRD is created by this deploy)`);
  return lines;
}

export async function deploy(objects: readonly SourcedObject[], api: ClusterApi, options: DeployOptions): Promise<DeployOutcome> {
  const spent = new Map<string, number>();
  /** Runs a step, adding its time to the step's total (steps that run at once each count their own time). */
  const timed = async <T>(step: string, work: () => Promise<T>): Promise<T> => {
    const start = options.clock.now();
    try {
      return await work();
    } finally {
      spent.set(step, (spent.get(step) ?? 0) + options.clock.now() - start);
    }
  };
  try {
    return await deployTimed(objects, api, options, timed);
  } finally {
    if (options.timings) options.timings([...spent].map(([step, milliseconds]) => ({ step, milliseconds })));
  }
}

async function deployTimed(objects: readonly SourcedObject[], api: ClusterApi, options: DeployOptions, timed: <T>(step: string, work: () => Promise<T>) => Promise<T>): Promise<DeployOutcome> {
  const lease = options.dryRun ? undefined : await timed('lease', () => acquireLease(api, options.parent, options.stage, {
    clock: options.clock,
    waitSeconds: options.lockWaitSeconds,
    onWait: (holder) => options.log(`stage ${options.stage} is being deployed by ${holder}; waiting up to ${options.lockWaitSeconds}s`),
  }));
  let renewalError: unknown;
  // A renewal that cannot reach the server (an API server restarting) is tried again at the next
  // tick; only a Lease taken over by another deploy stops this one.
  const renewal = lease && setInterval(() => lease.renew().catch((error: unknown) => {
    if (error instanceof UserError) renewalError = error;
  }), (LEASE_SECONDS * 1000) / 3);
  renewal?.unref();
  try {
    const plan = await timed('plan', () => planDeploy(objects, api, { parent: options.parent, forceConflicts: options.forceConflicts, pruneProtected: options.pruneProtected, concurrency: options.concurrency }));
    if (plan.refusals.length) {
      refusalLines(plan.refusals).forEach(options.log);
      options.log(`nothing applied: the API server refuses ${plan.refusals.length} of ${objects.length} objects`);
      return { exitCode: 1, plan };
    }
    formatPlan(plan).forEach(options.log);
    if (options.dryRun) return { exitCode: 0, plan };

    const kept = contentsOf(plan.prune.filter((target) => target.keptBecause).map((target) => ({ apiVersion: target.ref.apiVersion, kind: target.ref.kind, metadata: { name: target.ref.name, namespace: target.ref.namespace } })), options.parent);
    const finalContents = unionContents(plan.contents, kept);
    const applyParent = (contents: typeof finalContents) => api.apply(parentObject(options.parent, contents, options.toolingVersion), { fieldManager: PARENT_FIELD_MANAGER, dryRun: false, force: true });
    await timed('parent', () => applyParent(unionContents(plan.liveContents, finalContents)));

    const wait = { clock: options.clock, timeoutSeconds: options.timeoutSeconds, progress: options.progress, concurrency: options.concurrency, notice: options.log };
    const applied = await timed('apply', () => applyPlan(plan, api, { forceConflicts: options.forceConflicts, concurrency: options.concurrency, wait }));
    if (applied.refusals.length || applied.notEstablished.length) {
      refusalLines(applied.refusals).forEach(options.log);
      applied.notEstablished.map(formatNotReady).forEach(options.log);
      options.log(`deploy of stage ${options.stage} failed during apply: ${applied.applied.length} objects applied; the next deploy converges from here`);
      return { exitCode: 1, plan };
    }
    // Read-only and the stage is ours (the Lease): the revisions are read while the objects get ready; again later if that failed.
    const preparing = prepareRevision(api, options.parent, options.stage, objects).catch(() => undefined);
    const notReady = await timed('wait', () => waitForReady(plan.objects.map((item) => item.object), api, wait));
    if (notReady.length) {
      notReady.map(formatNotReady).forEach(options.log);
      options.log(`deploy of stage ${options.stage} failed: ${notReady.length} objects not ready; nothing pruned`);
      return { exitCode: 1, plan };
    }
    // The tail: the prune, then the parent's final contents (it must cover the pruned members until
    // they are gone), while the stage's revisions are read; the revision is recorded after both.
    const prunable = plan.prune.filter((item) => !item.keptBecause);
    const pruneAndParent = async () => {
      await timed('prune', () => mapBounded(prunable, options.concurrency ?? DEFAULT_CONCURRENCY, (target) => api.delete(target.ref).catch((error: unknown) => {
        if (!isNotFound(error)) throw error;
      })));
      prunable.forEach((target) => options.log(`pruned ${target.label}`));
      await timed('parent', () => applyParent(finalContents));
    };
    const [, pending] = await Promise.all([pruneAndParent(), preparing.then((prepared) => prepared ?? timed('revision', () => prepareRevision(api, options.parent, options.stage, objects)))]);
    if (renewalError) throw renewalError;
    const revision = await timed('revision', () => pending.record({ description: options.description, deployedAt: new Date(options.clock.now()).toISOString(), keep: options.keepRevisions }));
    const counts = ['create', 'update'].map((action) => plan.objects.filter((item) => item.action === action).length);
    const pruned = plan.prune.filter((item) => !item.keptBecause).length;
    options.log(`deployed stage ${options.stage}${revision ? ` as revision ${revision.number}` : ''}: ${counts[0]} created, ${counts[1]} updated, ${pruned} pruned, ${plan.objects.length} ready`);
    return { exitCode: 0, plan, revision };
  } finally {
    if (renewal) clearInterval(renewal);
    await lease?.release();
  }
}

/**
 * Applies a plan's objects with server-side apply, in apply order: Namespaces and CRDs first (the
 * CRDs awaited until Established, so their custom resources can be applied), then each output file
 * in turn, the objects of one file in parallel (bounded), its workloads sent first.
 * @module
 */
import type { KubeObject } from '../manifest/types';
import { ClusterApi } from './cluster-api';
import { DeployPlan, FIELD_MANAGER, PlannedObject, Refusal, refusalMessage } from './plan';
import { DEFAULT_CONCURRENCY, mapBounded } from './parallel';
import { NotReady, waitForReady, WaitOptions } from './wait';

export interface ApplyOptions {
  readonly forceConflicts?: boolean;
  /** Requests in flight at once within a group. @default DEFAULT_CONCURRENCY (32) */
  readonly concurrency?: number;
  /** How CRDs are awaited before the objects that may use them. */
  readonly wait: WaitOptions;
}

export interface ApplyResult {
  /** The applied objects as stored, in apply order. */
  readonly applied: readonly KubeObject[];
  /** Objects the server refused; the groups after the first refusal were not applied. */
  readonly refusals: readonly Refusal[];
  /** CRDs that did not get Established; nothing after them was applied. */
  readonly notEstablished: readonly NotReady[];
}

const FIRST_KINDS = new Set(['Namespace', 'CustomResourceDefinition']);

/**
 * Kinds whose controllers start work when they are applied (ReplicaSets, pods): the long pole after
 * the apply. Sent first within their group, so that work starts while the rest of the group is applied.
 */
const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

/**
 * The groups applied one after another: Namespaces and CRDs, then one group per output file in
 * order. Within a group (applied in parallel, so in no order the server could rely on) workloads
 * come first, the rest in file order.
 */
export function applyGroups(objects: readonly PlannedObject[]): PlannedObject[][] {
  const first = objects.filter((item) => FIRST_KINDS.has(item.object.kind));
  const bySource = new Map<string, PlannedObject[]>();
  for (const item of objects) {
    if (FIRST_KINDS.has(item.object.kind)) continue;
    const group = bySource.get(item.source) ?? [];
    group.push(item);
    bySource.set(item.source, group);
  }
  const workloadsFirst = (group: PlannedObject[]) => [...group.filter((item) => WORKLOAD_KINDS.has(item.object.kind)), ...group.filter((item) => !WORKLOAD_KINDS.has(item.object.kind))];
  return [first, ...[...bySource.values()].map(workloadsFirst)].filter((group) => group.length > 0);
}

/** Applies what the plan creates or changes; unchanged objects are not sent again. */
export async function applyPlan(plan: DeployPlan, api: ClusterApi, options: ApplyOptions): Promise<ApplyResult> {
  const applied: KubeObject[] = [];
  for (const group of applyGroups(plan.objects.filter((item) => item.action !== 'unchanged'))) {
    const refusals: Refusal[] = [];
    const results = await mapBounded(group, options.concurrency ?? DEFAULT_CONCURRENCY, async (item) => {
      try {
        return await api.apply(item.object, { fieldManager: FIELD_MANAGER, dryRun: false, force: options.forceConflicts ?? false });
      } catch (error) {
        refusals.push({ label: item.label, source: item.source, message: refusalMessage(error) });
        return undefined;
      }
    });
    applied.push(...results.filter((result): result is KubeObject => result !== undefined));
    if (refusals.length) return { applied, refusals, notEstablished: [] };
    const crds = results.filter((result): result is KubeObject => result?.kind === 'CustomResourceDefinition');
    const notEstablished = crds.length ? await waitForReady(crds, api, options.wait) : [];
    if (notEstablished.length) return { applied, refusals: [], notEstablished };
  }
  return { applied, refusals: [], notEstablished: [] };
}

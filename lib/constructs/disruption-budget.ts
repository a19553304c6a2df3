import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { checkAll, checkIntOrPercent, checkOneOf, detachOnError, invalidProp } from './props';
import { isZeroIntOrPercent } from '../manifest/int-or-percent';
import { IPodTarget } from './pod-target';
import { createJsonFormObject, intOrStringValue } from './json-form';
import { mergedRecord } from './records';

/**
 * Whether pods that are running but not ready may be evicted: `AlwaysAllow` lets a drain evict
 * crash-looping pods whatever the budget; `IfHealthyBudget` only while the budget is met.
 * @inline
 */
export type UnhealthyPodEvictionPolicy = 'AlwaysAllow' | 'IfHealthyBudget';

const UNHEALTHY_POD_EVICTION_POLICIES: readonly UnhealthyPodEvictionPolicy[] = ['AlwaysAllow', 'IfHealthyBudget'];

/** How many pods voluntary evictions (node drains, upgrades) may take away at once. */
export interface DisruptionBudgetProps {
  /** Pods that may be evicted at once: a count or a percentage. @default 1, unless `minAvailable` is given */
  readonly maxUnavailable?: number | string;
  /**
   * Pods that must stay available instead (a count or a percentage below "100%"); exclusive with
   * `maxUnavailable`. A count must be below the fixed replica count, or no node could be drained.
   * @default - `maxUnavailable` is used
   */
  readonly minAvailable?: number | string;
  /**
   * Whether running but unready pods may be evicted. With `IfHealthyBudget`, crash-looping pods
   * can block a node drain for good.
   * @default 'AlwaysAllow'
   */
  readonly unhealthyPodEvictionPolicy?: UnhealthyPodEvictionPolicy;
}

/** Props of a {@link WorkloadDisruptionBudget}. */
export interface WorkloadDisruptionBudgetProps extends DisruptionBudgetProps {
  readonly target: IPodTarget;
  /**
   * The target's fixed replica count, if any, read at synthesis (after an HpaPolicy may have taken
   * the replicas over). @default - not checked
   */
  readonly replicas?: () => number | undefined;
}

/**
 * Checks a disruption budget's props and throws one {@link PropsError} with every problem, so that
 * a workload can report them with its own.
 * @internal
 */
export function checkDisruptionBudget(scope: IConstruct, props: DisruptionBudgetProps): void {
  const minAvailable = props.minAvailable;
  const maxUnavailable = props.maxUnavailable ?? (minAvailable === undefined ? 1 : undefined);
  checkAll(scope, [
    () => {
      if (maxUnavailable === undefined) return;
      checkIntOrPercent(scope, 'disruptionBudget.maxUnavailable', maxUnavailable);
      if (isZeroIntOrPercent(maxUnavailable)) {
        throw invalidProp(scope, 'disruptionBudget.maxUnavailable', maxUnavailable, 'must be above zero: a budget of zero blocks every node drain');
      }
    },
    () => {
      if (minAvailable === undefined) return;
      if (props.maxUnavailable !== undefined) {
        throw invalidProp(scope, 'disruptionBudget.minAvailable', minAvailable, 'cannot be combined with maxUnavailable: give one of them');
      }
      checkIntOrPercent(scope, 'disruptionBudget.minAvailable', minAvailable);
      if (minAvailable === '100%') throw invalidProp(scope, 'disruptionBudget.minAvailable', minAvailable, 'must be below "100%": keeping every pod blocks every node drain');
    },
    () => checkOneOf(scope, 'disruptionBudget.unhealthyPodEvictionPolicy', props.unhealthyPodEvictionPolicy ?? 'AlwaysAllow', UNHEALTHY_POD_EVICTION_POLICIES),
  ]);
}

/**
 * A PodDisruptionBudget (`<name>-pdb`) for a workload. It never blocks every eviction: a budget
 * of zero is refused (node drains would hang), unhealthy pods may always be evicted unless told
 * otherwise, and a budget on a single fixed replica, which protects nothing, is refused when the
 * app is synthesized, so that an HpaPolicy created after the budget can still raise the floor.
 */
@detachOnError
export class WorkloadDisruptionBudget extends Construct {
  public readonly budget: ApiObject;

  constructor(scope: Construct, id: string, props: WorkloadDisruptionBudgetProps) {
    super(scope, id);
    const minAvailable = props.minAvailable;
    const maxUnavailable = props.maxUnavailable ?? (minAvailable === undefined ? 1 : undefined);
    checkDisruptionBudget(this, props);
    const unhealthyPodEvictionPolicy = props.unhealthyPodEvictionPolicy ?? 'AlwaysAllow';
    this.budget = createJsonFormObject(k8s.KubePodDisruptionBudget, this, 'Resource', {
      metadata: { name: `${props.target.name}-pdb`, labels: mergedRecord(props.target.labels) },
      spec: {
        minAvailable: minAvailable === undefined ? undefined : intOrStringValue(minAvailable),
        maxUnavailable: maxUnavailable === undefined ? undefined : intOrStringValue(maxUnavailable),
        selector: { matchLabels: { ...props.target.selectorLabels } },
        unhealthyPodEvictionPolicy,
      },
    });
    this.node.addValidation({ validate: () => this.replicaProblems(props.replicas, minAvailable) });
  }

  private replicaProblems(replicasOf: (() => number | undefined) | undefined, minAvailable: number | string | undefined): string[] {
    const replicas = replicasOf?.();
    if (replicas === undefined) return [];
    if (replicas < 2) {
      return [invalidProp(this, 'replicas', replicas, 'a disruption budget needs at least 2 replicas; with one, any eviction takes the workload down anyway').message];
    }
    if (typeof minAvailable === 'number' && minAvailable >= replicas) {
      return [invalidProp(this, 'disruptionBudget.minAvailable', minAvailable, `must be below the ${replicas} replicas: otherwise no pod may ever be evicted and node drains hang`).message];
    }
    return [];
  }
}

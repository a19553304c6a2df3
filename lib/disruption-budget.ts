import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { checkIntOrPercent, invalidProp } from './props';
import { IPodTarget } from './workload';

/** How many pods voluntary evictions (node drains, upgrades) may take away at once. */
export interface DisruptionBudgetProps {
  /** Pods that may be evicted at once: a count or a percentage. @default 1 */
  readonly maxUnavailable?: number | string;
}

/** Props of a {@link WorkloadDisruptionBudget}. */
export interface WorkloadDisruptionBudgetProps extends DisruptionBudgetProps {
  readonly target: IPodTarget;
  /** The target's fixed replica count, if any, read when the budget is created. @default - not checked */
  readonly replicas?: () => number | undefined;
}

/**
 * A PodDisruptionBudget (`<name>-pdb`) for a workload. It never blocks every eviction: a budget
 * of zero is refused (node drains would hang), and so is one on a single fixed replica, which
 * protects nothing. The replica count is read when the budget is created.
 */
export class WorkloadDisruptionBudget extends Construct {
  public readonly budget: k8s.KubePodDisruptionBudget;

  constructor(scope: Construct, id: string, props: WorkloadDisruptionBudgetProps) {
    super(scope, id);
    const maxUnavailable = props.maxUnavailable ?? 1;
    const value = checkIntOrPercent(this, 'disruptionBudget.maxUnavailable', maxUnavailable);
    if (maxUnavailable === 0 || maxUnavailable === '0%') {
      throw invalidProp(this, 'disruptionBudget.maxUnavailable', maxUnavailable, 'must be above zero: a budget of zero blocks every node drain');
    }
    const replicas = props.replicas?.();
    if (replicas !== undefined && replicas < 2) {
      throw invalidProp(this, 'replicas', replicas, 'a disruption budget needs at least 2 replicas; with one, any eviction takes the workload down anyway');
    }
    this.budget = new k8s.KubePodDisruptionBudget(this, 'Resource', {
      metadata: { name: `${props.target.name}-pdb` },
      spec: {
        maxUnavailable: value,
        selector: { matchLabels: { ...props.target.selectorLabels } },
      },
    });
  }
}

/** `habr-k8s diff --live`: what a deploy of the objects would change on the live cluster, changing nothing. */
import type { SourcedObject } from '../manifest/types';
import { stageParent } from './applyset';
import { connectCluster } from './kube-client';
import { ConnectionOptions } from './kubeconfig';
import { formatPlan, refusalLines } from './deploy';
import { planDeploy } from './plan';

export interface LiveDiffOptions extends ConnectionOptions {
  /** The stage whose ApplySet decides what would be pruned. @default 'dev' */
  readonly stage?: string;
  /** The namespace of the stage's ApplySet parent. @default 'default' */
  readonly namespace?: string;
}

export interface LiveDiff {
  /** The report: per object and field, what would be added, changed and pruned, or `no changes`; or every refusal. */
  readonly lines: readonly string[];
  /** Objects the server refuses: a deploy would apply nothing. */
  readonly refusals: number;
}

/** Plans a deploy of `objects` against the cluster kubectl would use (kubeconfig, context) and reports it. */
export async function liveDiff(objects: readonly SourcedObject[], options: LiveDiffOptions, env: NodeJS.ProcessEnv, cwd: string): Promise<LiveDiff> {
  const api = connectCluster(options, env, cwd);
  const plan = await planDeploy(objects, api, { parent: stageParent(options.stage ?? 'dev', options.namespace ?? 'default') });
  if (plan.refusals.length) {
    const lines = [...refusalLines(plan.refusals), `a deploy would apply nothing: the API server refuses ${plan.refusals.length} of ${objects.length} objects`];
    return { lines, refusals: plan.refusals.length };
  }
  return { lines: formatPlan(plan), refusals: 0 };
}

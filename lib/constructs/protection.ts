import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { DisruptionBudgetProps, WorkloadDisruptionBudget } from './disruption-budget';
import { EgressPolicyOptions, IPodTarget } from './pod-target';

/** The NetworkPolicy of a workload's pods. */
export interface NetworkPolicyProps extends EgressPolicyOptions {
  /** Create a NetworkPolicy admitting only connections declared through `connections`, in and out. @default true */
  readonly networkPolicy?: boolean;
}

/** The protections a workload construct can add around its pods. */
export interface ProtectionProps extends NetworkPolicyProps {
  /** Keep at most this many pods away during voluntary evictions. @default - no PodDisruptionBudget */
  readonly disruptionBudget?: DisruptionBudgetProps;
}

/** What {@link addProtection} created. */
export interface Protection {
  readonly disruptionBudget?: WorkloadDisruptionBudget;
  readonly networkPolicy?: ApiObject;
}

/** Adds a workload's PodDisruptionBudget and NetworkPolicy, the same way for every workload construct. */
export function addProtection(workload: IPodTarget & Construct, props: ProtectionProps, replicas: () => number | undefined): Protection {
  return {
    disruptionBudget: props.disruptionBudget
      ? new WorkloadDisruptionBudget(workload, 'DisruptionBudget', { ...props.disruptionBudget, target: workload, replicas })
      : undefined,
    networkPolicy: addNetworkPolicy(workload, props),
  };
}

/** The workload's NetworkPolicy, unless `networkPolicy: false`. */
export function addNetworkPolicy(workload: IPodTarget & Construct, props: NetworkPolicyProps): k8s.KubeNetworkPolicy | undefined {
  return props.networkPolicy ?? true
    ? workload.connections.createPolicy(workload, `${workload.name}-network-policy`, { restrictEgress: props.restrictEgress })
    : undefined;
}

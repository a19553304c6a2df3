import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { checkAll, checkInteger, checkPositiveQuantity, detachOnError, invalidProp } from './props';
import { IAutoscalable } from './workload';
import { convertWhenSynthesized, createJsonFormObject, quantityValue } from './json-form';
import { exactCopy, mergedRecord } from './records';

/** Props of an {@link HpaPolicy}. */
export interface HpaPolicyProps {
  /** The workload to scale (a construct, so its requests can be checked). */
  readonly target: IAutoscalable;
  /** @default 1 */
  readonly minReplicas?: number;
  readonly maxReplicas: number;
  /** Average CPU utilization across pods, in percent of the CPU request. @default - not a metric */
  readonly cpuUtilization?: number;
  /** Average memory utilization, in percent of the memory request. @default - not a metric */
  readonly memoryUtilization?: number;
  /** Average memory use per pod, e.g. `400Mi`. @default - not a metric */
  readonly memoryAverageValue?: string;
  /** Scale-up and scale-down behaviour (stabilization windows, policies). @default - Kubernetes' */
  readonly behavior?: k8s.HorizontalPodAutoscalerBehaviorV2;
}

/**
 * An `autoscaling/v2` HorizontalPodAutoscaler (`<name>-hpa`). It refuses utilization targets for
 * resources the pods do not request (the HPA would never scale), and makes the target stop fixing
 * `spec.replicas` (every apply would otherwise fight the autoscaler). A target takes one HpaPolicy:
 * a second one, which would fight the first, is refused.
 */
@detachOnError
export class HpaPolicy extends Construct {
  public readonly hpa: ApiObject;

  constructor(scope: Construct, id: string, props: HpaPolicyProps) {
    super(scope, id);
    checkAll(this, [
      () => {
        // The type refuses such a target; this is for callers the compiler does not check.
        if (typeof (props.target as Partial<IAutoscalable>).releaseReplicasToAutoscaler !== 'function') {
          throw invalidProp(this, 'target', props.target.name, 'must be a workload an autoscaler can scale, such as a WebApp or a StatefulApp: it does not hand its replicas over');
        }
      },
      () => checkHpaPolicy(this, props),
    ]);
    const metrics: k8s.MetricSpecV2[] = [];
    if (props.cpuUtilization !== undefined) metrics.push(utilizationMetric('cpu', props.cpuUtilization));
    if (props.memoryUtilization !== undefined) metrics.push(utilizationMetric('memory', props.memoryUtilization));
    if (props.memoryAverageValue !== undefined) {
      metrics.push(resourceMetric('memory', { type: 'AverageValue', averageValue: quantityValue(props.memoryAverageValue) }));
    }
    props.target.releaseReplicasToAutoscaler();
    this.hpa = createJsonFormObject(k8s.KubeHorizontalPodAutoscalerV2, this, 'Resource', {
      metadata: { name: `${props.target.name}-hpa`, labels: mergedRecord(props.target.labels) },
      spec: {
        scaleTargetRef: mergedRecord(props.target.scaleTargetRef),
        minReplicas: props.minReplicas ?? 1,
        maxReplicas: props.maxReplicas,
        metrics: exactCopy(metrics),
        behavior: props.behavior
          && convertWhenSynthesized(props.behavior, k8s.toJson_HorizontalPodAutoscalerBehaviorV2, () => this.hpa, ['spec', 'behavior']),
      },
    });
  }
}

/** What {@link checkHpaPolicy} needs of the target: its name and its containers' requests. @internal */
export type HpaTargetRequests = Pick<IAutoscalable, 'name' | 'containerRequests'>;

/**
 * Checks an autoscaler's replica range and metrics against the target's requests and throws one
 * {@link PropsError} with every problem; `prefix` names where they sit in the caller's props (a
 * release version's `autoscaling.`).
 * @internal
 */
export function checkHpaPolicy(
  scope: IConstruct, props: Omit<HpaPolicyProps, 'target'> & { readonly target: HpaTargetRequests }, prefix = '',
): void {
  const minReplicas = props.minReplicas ?? 1;
  const maxReplicas = props.maxReplicas;
  const utilization = (resource: 'cpu' | 'memory', percent: number) => {
    const field = `${prefix}${resource}Utilization`;
    checkInteger(scope, field, percent, 1);
    if (props.target.containerRequests.some((requests) => requests[resource] === undefined)) {
      throw invalidProp(scope, field, percent,
        `${props.target.name} has a container without a ${resource} request; utilization is a percentage of the request, so the HPA would never scale. Set resources.requests.${resource}`);
    }
  };
  checkAll(scope, [
    () => {
      checkAll(scope, [
        () => checkInteger(scope, `${prefix}minReplicas`, minReplicas, 1),
        () => checkInteger(scope, `${prefix}maxReplicas`, maxReplicas, 1),
      ]);
      if (minReplicas > maxReplicas) throw invalidProp(scope, `${prefix}minReplicas`, minReplicas, `must not exceed maxReplicas (${maxReplicas})`);
    },
    () => props.cpuUtilization !== undefined && utilization('cpu', props.cpuUtilization),
    () => props.memoryUtilization !== undefined && utilization('memory', props.memoryUtilization),
    () => props.memoryAverageValue !== undefined && checkPositiveQuantity(scope, `${prefix}memoryAverageValue`, props.memoryAverageValue, '"400Mi"'),
    () => {
      if (props.cpuUtilization === undefined && props.memoryUtilization === undefined && props.memoryAverageValue === undefined) {
        throw invalidProp(scope, `${prefix}metrics`, undefined, 'give at least one of cpuUtilization, memoryUtilization or memoryAverageValue');
      }
    },
  ]);
}

function utilizationMetric(resource: 'cpu' | 'memory', percent: number): k8s.MetricSpecV2 {
  return resourceMetric(resource, { type: 'Utilization', averageUtilization: percent });
}

function resourceMetric(name: string, target: k8s.MetricTargetV2): k8s.MetricSpecV2 {
  return { type: 'Resource', resource: { name, target } };
}

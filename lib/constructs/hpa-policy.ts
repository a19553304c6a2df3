import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
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
    const minReplicas = props.minReplicas ?? 1;
    const maxReplicas = props.maxReplicas;
    checkAll(this, [
      () => {
        // The type refuses such a target; this is for callers the compiler does not check.
        if (typeof (props.target as Partial<IAutoscalable>).releaseReplicasToAutoscaler !== 'function') {
          throw invalidProp(this, 'target', props.target.name, 'must be a workload an autoscaler can scale, such as a WebApp or a StatefulApp: it does not hand its replicas over');
        }
      },
      () => {
        checkAll(this, [
          () => checkInteger(this, 'minReplicas', minReplicas, 1),
          () => checkInteger(this, 'maxReplicas', maxReplicas, 1),
        ]);
        if (minReplicas > maxReplicas) throw invalidProp(this, 'minReplicas', minReplicas, `must not exceed maxReplicas (${maxReplicas})`);
      },
      () => props.cpuUtilization !== undefined && this.utilization('cpu', props.cpuUtilization, props.target),
      () => props.memoryUtilization !== undefined && this.utilization('memory', props.memoryUtilization, props.target),
      () => props.memoryAverageValue !== undefined && checkPositiveQuantity(this, 'memoryAverageValue', props.memoryAverageValue, '"400Mi"'),
      () => {
        if (props.cpuUtilization === undefined && props.memoryUtilization === undefined && props.memoryAverageValue === undefined) {
          throw invalidProp(this, 'metrics', undefined, 'give at least one of cpuUtilization, memoryUtilization or memoryAverageValue');
        }
      },
    ]);
    const metrics: k8s.MetricSpecV2[] = [];
    if (props.cpuUtilization !== undefined) metrics.push(this.utilization('cpu', props.cpuUtilization, props.target));
    if (props.memoryUtilization !== undefined) metrics.push(this.utilization('memory', props.memoryUtilization, props.target));
    if (props.memoryAverageValue !== undefined) {
      metrics.push(resourceMetric('memory', { type: 'AverageValue', averageValue: quantityValue(props.memoryAverageValue) }));
    }
    props.target.releaseReplicasToAutoscaler();
    this.hpa = createJsonFormObject(k8s.KubeHorizontalPodAutoscalerV2, this, 'Resource', {
      metadata: { name: `${props.target.name}-hpa` },
      spec: {
        scaleTargetRef: mergedRecord(props.target.scaleTargetRef),
        minReplicas,
        maxReplicas,
        metrics: exactCopy(metrics),
        behavior: props.behavior
          && convertWhenSynthesized(props.behavior, k8s.toJson_HorizontalPodAutoscalerBehaviorV2, () => this.hpa, ['spec', 'behavior']),
      },
    });
  }

  private utilization(resource: 'cpu' | 'memory', percent: number, target: IAutoscalable): k8s.MetricSpecV2 {
    checkInteger(this, `${resource}Utilization`, percent, 1);
    const missing = target.containerRequests.some((requests) => requests[resource] === undefined);
    if (missing) {
      throw invalidProp(this, `${resource}Utilization`, percent,
        `${target.name} has a container without a ${resource} request; utilization is a percentage of the request, so the HPA would never scale. Set resources.requests.${resource}`);
    }
    return resourceMetric(resource, { type: 'Utilization', averageUtilization: percent });
  }
}

function resourceMetric(name: string, target: k8s.MetricTargetV2): k8s.MetricSpecV2 {
  return { type: 'Resource', resource: { name, target } };
}

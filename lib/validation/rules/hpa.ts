import { asArray, asRecord, asString, field, Json } from '../../manifest/objects';
import { finding, findingsOf, IndexedObject, isDeclaredExternal, ObjectIndex, Rule, RuleContext } from '../rule';
import { Finding } from '../../manifest/types';

const APPS_KINDS = new Set(['Deployment', 'StatefulSet', 'ReplicaSet']);

interface UtilizationMetric {
  readonly resource: string;
  readonly path: string;
  /** Only this container counts (ContainerResource metrics); otherwise every container. */
  readonly container?: string;
}

/** Metrics whose target is a percentage of the pods' requests, so they need those requests. */
function utilizationMetrics(hpa: IndexedObject): UtilizationMetric[] {
  const spec = asRecord(hpa.object.spec) ?? {};
  if (hpa.object.apiVersion === 'autoscaling/v1') {
    // v1 has only CPU utilization, 80% when unset.
    return [{ resource: 'cpu', path: spec.targetCPUUtilizationPercentage === undefined ? 'spec' : 'spec.targetCPUUtilizationPercentage' }];
  }
  if (spec.metrics === undefined) return [{ resource: 'cpu', path: 'spec.metrics' }]; // defaults to 80% CPU utilization
  const metrics: UtilizationMetric[] = [];
  asArray(spec.metrics).forEach((raw, i) => {
    const metric = asRecord(raw) ?? {};
    const source = metric.type === 'Resource' ? asRecord(metric.resource) : metric.type === 'ContainerResource' ? asRecord(metric.containerResource) : undefined;
    if (!source) return;
    const isUtilization = field(source, 'target', 'type') === 'Utilization' || source.targetAverageUtilization !== undefined; // v2 / v2beta1
    if (!isUtilization) return;
    const key = metric.type === 'Resource' ? 'resource' : 'containerResource';
    metrics.push({ resource: String(source.name), path: `spec.metrics[${i}].${key}`, container: asString(source.container) });
  });
  return metrics;
}

/** Requests default to limits when only limits are set. */
function requestsResource(container: Json, resource: string): boolean {
  const resources = asRecord(container.resources) ?? {};
  return asRecord(resources.requests)?.[resource] !== undefined || asRecord(resources.limits)?.[resource] !== undefined;
}

function checkReplicaBounds(hpa: IndexedObject): Finding[] {
  const spec = asRecord(hpa.object.spec) ?? {};
  const min = typeof spec.minReplicas === 'number' ? spec.minReplicas : 1;
  const max = spec.maxReplicas;
  const findings: Finding[] = [];
  if (min < 1) {
    findings.push(finding(hpaRule, hpa, 'spec.minReplicas',
      `spec.minReplicas is ${min}; the API server rejects a value below 1 (unless the alpha HPAScaleToZero feature gate is on). Set minReplicas to 1 or more.`, { apiServer: 'rejects' }));
  }
  if (typeof max !== 'number') {
    findings.push(finding(hpaRule, hpa, 'spec.maxReplicas', 'spec.maxReplicas is missing; the API server rejects it. Set maxReplicas to the largest replica count you accept.', { apiServer: 'rejects' }));
  } else if (min > max) {
    findings.push(finding(hpaRule, hpa, 'spec.minReplicas',
      `spec.minReplicas (${min}) is greater than spec.maxReplicas (${max}); the API server rejects it. Make minReplicas ≤ maxReplicas.`, { apiServer: 'rejects' }));
  }
  return findings;
}

function findTarget(index: ObjectIndex, hpa: IndexedObject, ref: Json): IndexedObject | undefined {
  return index.find(String(ref.kind), hpa.namespace, String(ref.name));
}

function checkTarget(index: ObjectIndex, context: RuleContext, hpa: IndexedObject): Finding[] {
  const ref = asRecord(asRecord(hpa.object.spec)?.scaleTargetRef);
  const path = 'spec.scaleTargetRef';
  if (!ref || !ref.kind || !ref.name) {
    return [finding(hpaRule, hpa, path, `${path} needs kind and name; the API server rejects it without them. Point it at the Deployment or StatefulSet to scale.`, { apiServer: 'rejects' })];
  }
  const kind = String(ref.kind);
  const name = String(ref.name);
  if (APPS_KINDS.has(kind) && ref.apiVersion !== 'apps/v1') {
    return [finding(hpaRule, hpa, `${path}.apiVersion`,
      `${path}.apiVersion is ${ref.apiVersion === undefined ? 'missing' : `"${String(ref.apiVersion)}"`} for a ${kind}; the API server accepts it, but the HPA cannot find the scale subresource and never scales. Set it to apps/v1.`)];
  }
  const target = findTarget(index, hpa, ref);
  if (!target) {
    if (isDeclaredExternal(context, kind, hpa.namespace, name)) return [];
    return [finding(hpaRule, hpa, `${path}.name`,
      `${path} names ${kind} ${name}, which is not in namespace ${hpa.namespace}; the API server accepts it, but the HPA reports FailedGetScale and never scales. Fix the kind/name or declare it as an external object.`)];
  }
  const findings: Finding[] = [];
  if (asRecord(target.object.spec)?.replicas !== undefined) {
    // An error, not a warning: each `kubectl apply` resets the replica count to the fixed value,
    // so a fleet the HPA scaled up under load is cut back down until the HPA reacts again.
    findings.push(finding(hpaRule, target, 'spec.replicas',
      `spec.replicas is set, but HorizontalPodAutoscaler ${hpa.name} scales this ${target.kind}; the API server accepts it, but every apply resets the replica count and fights the autoscaler `
      + `(a scaled-up fleet shrinks back under load). Remove spec.replicas and let the HPA's minReplicas set the floor.`));
  }
  checkRequests(index, hpa, target, findings);
  return findings;
}

/** Adds a finding for each serving container of the target without the request a utilization metric divides by. */
function checkRequests(index: ObjectIndex, hpa: IndexedObject, target: IndexedObject, findings: Finding[]): void {
  const template = index.podTemplateOf(target);
  if (!template) return;
  for (const metric of utilizationMetrics(hpa)) {
    for (const ref of template.servingContainers) {
      // Only this container counts for a ContainerResource metric; every container for a Resource one.
      if (metric.container !== undefined && ref.container.name !== metric.container) continue;
      if (requestsResource(ref.container, metric.resource)) continue;
      findings.push(finding(hpaRule, hpa, metric.path,
        `${metric.path} scales on ${metric.resource} utilization, but container ${String(ref.container.name)} of ${target.kind} ${target.name} has no resources.requests.${metric.resource} (${ref.path}); `
        + `the API server accepts it, but the HPA cannot compute utilization and never scales. Set resources.requests.${metric.resource} on every container of the target.`));
    }
  }
}

export const hpaRule: Rule = {
  id: 'hpa',
  summary: 'An HPA targets an existing workload (right apiVersion, no fixed spec.replicas), has 1 ≤ minReplicas ≤ maxReplicas, and its utilization metrics have requests to divide by.',
  breaks: 'The HPA never scales (missing target or requests), or fights every apply (spec.replicas); bad bounds are rejected.',
  apiServer: 'accepts',
  check: (index, context) => findingsOf(index.byKind('HorizontalPodAutoscaler'), (hpa) => checkReplicaBounds(hpa).concat(checkTarget(index, context, hpa))),
};

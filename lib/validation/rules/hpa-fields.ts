import { asArray, asRecord, Json } from '../../manifest/objects';
import { IndexedObject, ObjectIndex, Rule, findingsOf } from '../rule';
import { Finding } from '../../manifest/types';
import { isDns1123Label, pathSegmentProblem } from '../../manifest/names';
import { parseQuantity } from '../../manifest/quantity';
import { FieldFindings, show } from '../field-checks';

const SOURCES: Readonly<Record<string, string>> = { Object: 'object', Pods: 'pods', Resource: 'resource', ContainerResource: 'containerResource', External: 'external' };
const MAX_PERIOD_SECONDS = 1800;
const MAX_STABILIZATION_WINDOW_SECONDS = 3600;

function checkPositiveQuantity(checks: FieldFindings, value: unknown, path: string): void {
  if (typeof value !== 'string' && typeof value !== 'number') return;
  const parsed = parseQuantity(value);
  if (parsed !== undefined && parsed <= 0) checks.reject(path, `${path} is ${show(value)}, but a target must be positive`, 'Set a value above 0.');
}

function checkTarget(checks: FieldFindings, target: Json | undefined, path: string, sourceKey: string): void {
  if (!target) return;
  checks.oneOf(`${path}.type`, target.type, ['Utilization', 'Value', 'AverageValue']);
  checkPositiveQuantity(checks, target.value, `${path}.value`);
  checkPositiveQuantity(checks, target.averageValue, `${path}.averageValue`);
  checks.inRange(`${path}.averageUtilization`, target.averageUtilization, 1);
  const has = (key: string) => target[key] !== undefined;
  if (sourceKey === 'resource' || sourceKey === 'containerResource') {
    if (!has('averageUtilization') && !has('averageValue')) checks.reject(path, `${path} sets neither averageUtilization nor averageValue`, 'Set one, e.g. averageUtilization: 75.');
    else if (has('averageUtilization') && has('averageValue')) checks.reject(`${path}.averageValue`, `${path} sets both averageUtilization and averageValue`, 'Keep one of them.');
  } else if (sourceKey === 'pods') {
    if (!has('averageValue')) checks.reject(`${path}.averageValue`, `${path} has no averageValue, which a Pods metric needs`, 'Set averageValue.');
  } else if (!has('value') && !has('averageValue')) {
    checks.reject(path, `${path} sets neither value nor averageValue`, 'Set one of them.');
  } else if (sourceKey === 'external' && has('value') && has('averageValue')) {
    checks.reject(`${path}.value`, `${path} sets both value and averageValue`, 'Keep one of them.');
  }
}

function checkMetric(checks: FieldFindings, metric: Json, path: string): void {
  const type = metric.type;
  checks.oneOf(`${path}.type`, type, Object.keys(SOURCES));
  const expected = typeof type === 'string' ? SOURCES[type] : undefined;
  const present = Object.values(SOURCES).filter((key) => metric[key] !== undefined && metric[key] !== null);
  if (expected && !present.includes(expected)) checks.reject(`${path}.${expected}`, `${path} has type ${type} but no ${expected} section`, `Add ${expected}.`);
  for (const extra of present.filter((key) => key !== expected && expected !== undefined)) {
    checks.reject(`${path}.${extra}`, `${path} has type ${String(type)} but also a ${extra} section`, `Remove ${extra}, or add it as a metric of its own.`);
  }
  if (!expected) return;
  const source = asRecord(metric[expected]);
  if (!source) return;
  const sourcePath = `${path}.${expected}`;
  if (expected === 'containerResource' && typeof source.container === 'string' && !isDns1123Label(source.container)) {
    checks.reject(`${sourcePath}.container`, `${sourcePath}.container ${show(source.container)} is not a container name (a DNS-1123 label)`, 'Name a container of the target.');
  }
  const metricName = asRecord(source.metric)?.name;
  const nameProblem = typeof metricName === 'string' ? pathSegmentProblem(metricName) : undefined;
  if (nameProblem) checks.reject(`${sourcePath}.metric.name`, `metric name ${show(metricName)} is invalid: ${nameProblem}`, 'Use the metric name as the metrics API serves it.');
  checkTarget(checks, asRecord(source.target), `${sourcePath}.target`, expected);
}

function checkScalingRules(checks: FieldFindings, rules: Json | undefined, path: string): void {
  if (!rules) return;
  checks.inRange(`${path}.stabilizationWindowSeconds`, rules.stabilizationWindowSeconds, 0, MAX_STABILIZATION_WINDOW_SECONDS);
  checks.oneOf(`${path}.selectPolicy`, rules.selectPolicy, ['Max', 'Min', 'Disabled']);
  asArray(rules.policies).forEach((raw, i) => {
    const policy = asRecord(raw) ?? {};
    const policyPath = `${path}.policies[${i}]`;
    checks.oneOf(`${policyPath}.type`, policy.type, ['Pods', 'Percent']);
    checks.inRange(`${policyPath}.value`, policy.value, 1);
    checks.inRange(`${policyPath}.periodSeconds`, policy.periodSeconds, 1, MAX_PERIOD_SECONDS);
  });
}

function checkHpa(hpa: IndexedObject): Finding[] {
  const checks = new FieldFindings(hpaFields, hpa);
  const spec = asRecord(hpa.object.spec) ?? {};
  checks.inRange('spec.maxReplicas', spec.maxReplicas, 1);
  const ref = asRecord(spec.scaleTargetRef) ?? {};
  for (const key of ['kind', 'name']) {
    const problem = typeof ref[key] === 'string' && ref[key] !== '' ? pathSegmentProblem(String(ref[key])) : undefined;
    if (problem) checks.reject(`spec.scaleTargetRef.${key}`, `spec.scaleTargetRef.${key} ${show(ref[key])} is invalid: ${problem}`, `Use the target's ${key}.`);
  }
  if (hpa.object.apiVersion === 'autoscaling/v1') {
    checks.inRange('spec.targetCPUUtilizationPercentage', spec.targetCPUUtilizationPercentage, 1);
    return checks.findings;
  }
  asArray(spec.metrics).forEach((metric, i) => checkMetric(checks, asRecord(metric) ?? {}, `spec.metrics[${i}]`));
  const behavior = asRecord(spec.behavior);
  checkScalingRules(checks, asRecord(behavior?.scaleUp), 'spec.behavior.scaleUp');
  checkScalingRules(checks, asRecord(behavior?.scaleDown), 'spec.behavior.scaleDown');
  return checks.findings;
}

export const hpaFields: Rule = {
  id: 'hpa-fields',
  summary: 'An HPA has maxReplicas ≥ 1, metrics whose type matches their one source and whose targets are positive and complete, and behavior policies (Pods/Percent, value ≥ 1, period 1–1800 s, window 0–3600 s).',
  breaks: 'kubectl apply fails: the API server validates the autoscaler spec.',
  apiServer: 'rejects',
  check: (index: ObjectIndex) => findingsOf(index.byKind('HorizontalPodAutoscaler'), checkHpa),
};

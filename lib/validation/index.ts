/** Runs every cross-object rule over a set of plain Kubernetes objects and reports the findings. */
import { buildIndex, Rule, RuleContext } from './rule';
import { ExternalObject, Finding, SourcedObject } from './types';
import { configReferences } from './rules/config-references';
import { hpaRule } from './rules/hpa';
import { ingressBackend } from './rules/ingress-backend';
import { namespaceOrder } from './rules/namespace-order';
import { names } from './rules/names';
import { networkPolicySelector } from './rules/network-policy-selector';
import { pdbRule } from './rules/pdb';
import { probePorts } from './rules/probe-ports';
import { resourceQuantities } from './rules/resources';
import { serviceSelector } from './rules/service-selector';
import { serviceTargetPort } from './rules/service-target-port';
import { statefulSetService } from './rules/statefulset-service';
import { volumeMounts } from './rules/volume-mounts';
import { workloadSelector } from './rules/workload-selector';

export { Rule, RuleContext, ObjectIndex, buildIndex } from './rule';
export { parseQuantity } from './quantity';
export { loadManifestFolder } from './load';

export const RULES: readonly Rule[] = [
  workloadSelector,
  serviceSelector,
  serviceTargetPort,
  ingressBackend,
  statefulSetService,
  hpaRule,
  pdbRule,
  networkPolicySelector,
  volumeMounts,
  configReferences,
  probePorts,
  names,
  resourceQuantities,
  namespaceOrder,
];

export interface ValidateOptions {
  readonly externalObjects?: readonly ExternalObject[];
  /** More checks over the same objects (e.g. schema validation); their findings are merged and sorted with the rules'. */
  readonly extraChecks?: ReadonlyArray<(objects: readonly SourcedObject[]) => Finding[]>;
}

export interface ValidationReport {
  readonly objects: number;
  readonly findings: readonly Finding[];
  readonly errors: number;
  readonly warnings: number;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sorts by apply order of the object, then path, rule and message, so reports diff cleanly. */
function sortFindings(findings: readonly Finding[], objects: readonly SourcedObject[], labels: readonly string[]): Finding[] {
  const orderOf = new Map<string, number>();
  objects.forEach((sourced, i) => {
    const key = `${sourced.source}\u0000${labels[i]}`;
    if (!orderOf.has(key)) orderOf.set(key, sourced.order);
  });
  const order = (finding: Finding) => orderOf.get(`${finding.source}\u0000${finding.object}`) ?? Number.MAX_SAFE_INTEGER;
  return [...findings].sort((a, b) => order(a) - order(b)
    || compareText(a.source, b.source) || compareText(a.object, b.object)
    || compareText(a.path, b.path) || compareText(a.rule, b.rule) || compareText(a.message, b.message));
}

export function validateObjects(objects: readonly SourcedObject[], options: ValidateOptions = {}): ValidationReport {
  const index = buildIndex(objects);
  const context: RuleContext = { externalObjects: options.externalObjects ?? [] };
  const findings = [
    ...RULES.flatMap((rule) => rule.check(index, context)),
    ...(options.extraChecks ?? []).flatMap((check) => check(objects)),
  ];
  const sorted = sortFindings(findings, objects, index.objects.map((object) => object.label));
  return {
    objects: objects.length,
    findings: sorted,
    errors: sorted.filter((f) => f.severity === 'error').length,
    warnings: sorted.filter((f) => f.severity === 'warning').length,
  };
}

/** One block per source, one line per finding, then the summary line. */
export function formatReport(report: ValidationReport): string {
  const bySource = new Map<string, Finding[]>();
  for (const finding of report.findings) {
    const list = bySource.get(finding.source) ?? [];
    list.push(finding);
    bySource.set(finding.source, list);
  }
  const lines: string[] = [];
  for (const [source, findings] of bySource) {
    lines.push(source);
    for (const finding of findings) {
      const verdict = finding.apiServer === 'rejects' ? 'API server rejects' : 'API server accepts';
      lines.push(`  ${finding.severity.padEnd(7)} ${finding.object} ${finding.path}: ${finding.message} [${finding.rule}; ${verdict}]`);
    }
    lines.push('');
  }
  lines.push(`${report.objects} objects checked, ${report.errors} errors, ${report.warnings} warnings`);
  return lines.join('\n');
}

/**
 * Runs strict schema validation and every cross-object rule over a set of plain Kubernetes
 * objects and reports the findings. `habr-k8s synth` and `habr-k8s validate` both come here.
 */
import { buildIndex, Rule, RuleContext } from './rule';
import { mergeCopies, RuleScope, scopeGroups } from './scope';
import { checkSchemaReleases, DEFAULT_SCHEMA_VERSION, SCHEMA_VERSIONS } from './schema';
import { compareKubernetesVersions } from '../manifest/api/load';
import { compareText } from '../manifest/objects';
import { ExternalObject, Finding, SourcedObject } from '../manifest/types';
import { configReferences } from './rules/config-references';
import { hpaRule } from './rules/hpa';
import { ingressBackend } from './rules/ingress-backend';
import { namespaceOrder } from './rules/namespace-order';
import { names } from './rules/names';
import { networkPolicySelector } from './rules/network-policy-selector';
import { frontReachability } from './rules/front-reachability';
import { envReachability } from './rules/env-reachability';
import { pdbRule } from './rules/pdb';
import { probePorts } from './rules/probe-ports';
import { resourceQuantities } from './rules/resources';
import { serviceSelector } from './rules/service-selector';
import { serviceTargetPort } from './rules/service-target-port';
import { statefulSetService } from './rules/statefulset-service';
import { volumeMounts } from './rules/volume-mounts';
import { workloadSelector } from './rules/workload-selector';
import { annotations } from './rules/annotations';
import { configDataKeys } from './rules/config-data';
import { containerFields } from './rules/container-fields';
import { duplicateObjects } from './rules/duplicate-objects';
import { hpaFields } from './rules/hpa-fields';
import { ingressFields } from './rules/ingress-fields';
import { jobFields } from './rules/job-fields';
import { networkPolicyFields } from './rules/network-policy-fields';
import { pdbFields } from './rules/pdb-fields';
import { podSpecFields } from './rules/pod-spec-fields';
import { probeFields } from './rules/probe-fields';
import { serviceFields } from './rules/service-fields';
import { workloadFields } from './rules/workload-fields';
import { httpRouteBackend } from './rules/http-route-backend';
import { httpRouteFields } from './rules/http-route-fields';
import { httpRouteParent } from './rules/http-route-parent';
import { releaseServiceSelector } from './rules/release-service';
import { releaseVersionSelectors } from './rules/release-selectors';
import { canaryIngress } from './rules/canary-ingress';
import { imagePinning } from './rules/image-pinning';
import { memoryFlags } from './rules/memory-flags';
import { unitlessQuantities } from './rules/unitless-quantities';

export { Rule, RuleContext, ObjectIndex, buildIndex } from './rule';
export { parseQuantity } from '../manifest/quantity';
export { loadManifestFolder, readManifestFolder } from '../manifest/load';

export const RULES: readonly Rule[] = [
  workloadSelector,
  serviceSelector,
  serviceTargetPort,
  ingressBackend,
  statefulSetService,
  hpaRule,
  pdbRule,
  networkPolicySelector,
  frontReachability,
  envReachability,
  volumeMounts,
  configReferences,
  probePorts,
  names,
  resourceQuantities,
  unitlessQuantities,
  memoryFlags,
  imagePinning,
  namespaceOrder,
  duplicateObjects,
  annotations,
  podSpecFields,
  containerFields,
  probeFields,
  serviceFields,
  configDataKeys,
  workloadFields,
  jobFields,
  ingressFields,
  networkPolicyFields,
  pdbFields,
  hpaFields,
  httpRouteBackend,
  httpRouteFields,
  httpRouteParent,
  releaseServiceSelector,
  releaseVersionSelectors,
  canaryIngress,
];

export interface ValidateOptions {
  /** Objects the manifests reference but that are created outside them. @default - none */
  readonly externalObjects?: readonly ExternalObject[];
  /** The Kubernetes version the manifests target; what its schema rejects is an error. @default '1.27' */
  readonly kubernetesVersion?: string;
  /** Newer versions to check too; what only they reject is a warning (it breaks on upgrade). @default - every supported version newer than kubernetesVersion */
  readonly upgradeVersions?: readonly string[];
  /** Run the schema checks at all (off only for tests of the rules on partial objects). @default true */
  readonly schema?: boolean;
  /**
   * Which objects the cross-object rules see together: `app`, all of them; `file`, those of the same
   * source only; `folder`, those of the same folder (a folder of unrelated examples, each file or
   * subfolder its own app). Per-object checks are the same either way.
   * @default 'app'
   */
  readonly scope?: RuleScope;
  /** More checks over the same objects (e.g. schema validation); their findings are merged and sorted with the rules'. */
  readonly extraChecks?: ReadonlyArray<(objects: readonly SourcedObject[]) => Finding[]>;
}

export interface ValidationReport {
  readonly objects: number;
  readonly findings: readonly Finding[];
  readonly errors: number;
  readonly warnings: number;
}

/** Sorts by apply order of the object, then path, rule and message, so reports diff cleanly. */
function sortFindings(findings: readonly Finding[], objects: readonly SourcedObject[], labels: readonly string[]): Finding[] {
  if (findings.length === 0) return [];
  // source -> object label -> apply order of its first object
  const orderOf = new Map<string, Map<string, number>>();
  objects.forEach((sourced, i) => {
    let bySource = orderOf.get(sourced.source);
    if (!bySource) orderOf.set(sourced.source, (bySource = new Map()));
    if (!bySource.has(labels[i])) bySource.set(labels[i], sourced.order);
  });
  const order = (finding: Finding) => orderOf.get(finding.source)?.get(finding.object) ?? Number.MAX_SAFE_INTEGER;
  return [...findings].sort((a, b) => order(a) - order(b)
    || compareText(a.source, b.source) || compareText(a.object, b.object)
    || compareText(a.path, b.path) || compareText(a.rule, b.rule) || compareText(a.message, b.message));
}

export function validateObjects(objects: readonly SourcedObject[], options: ValidateOptions = {}): ValidationReport {
  const context: RuleContext = { externalObjects: options.externalObjects ?? [], kubernetesVersion: options.kubernetesVersion ?? DEFAULT_SCHEMA_VERSION };
  const all: Finding[] = options.schema ?? true ? schemaFindings(objects, options) : [];
  const scopes = scopeGroups(objects, options.scope ?? 'app');
  // The labels of the objects in the order of `scopedObjects`, as the indexes worked them out.
  const scopedObjects = scopes.length === 1 ? scopes[0] : scopes.flat();
  const labels: string[] = [];
  for (const scope of scopes) {
    const index = buildIndex(scope);
    for (const object of index.objects) labels.push(object.label);
    for (const rule of RULES) appendTo(all, rule.check(index, context));
  }
  for (const check of options.extraChecks ?? []) appendTo(all, check(objects));
  const findings = mergeCopies(withoutAcceptsInsideRejections(all), scopedObjects, labels);
  const sorted = sortFindings(findings, scopedObjects, labels);
  return {
    objects: objects.length,
    findings: sorted,
    errors: sorted.filter((f) => f.severity === 'error').length,
    warnings: sorted.filter((f) => f.severity === 'warning').length,
  };
}

/** `target.push(...more)` without spreading a long list into arguments. */
function appendTo(target: Finding[], more: readonly Finding[]): void {
  for (let i = 0; i < more.length; i++) target.push(more[i]);
}

/**
 * Drops the run-time findings ("the API server accepts it, but …") about a field that an error of the
 * same object says the server rejects, or about anything inside that field: the server refuses it
 * whole, so the claim would be false (a missing Secret named in an env source the server refuses
 * for having two sources). They come back once the rejected field is fixed.
 */
function withoutAcceptsInsideRejections(findings: readonly Finding[]): Finding[] {
  const rejected = new Map<string, string[]>();
  for (const finding of findings) {
    if (finding.severity !== 'error' || finding.apiServer !== 'rejects') continue;
    const key = `${finding.source}\u0000${finding.object}`;
    rejected.set(key, [...(rejected.get(key) ?? []), finding.path]);
  }
  const insideRejection = (finding: Finding): boolean => (rejected.get(`${finding.source}\u0000${finding.object}`) ?? [])
    .some((path) => finding.path === path || finding.path.startsWith(`${path}.`) || finding.path.startsWith(`${path}[`));
  return findings.flatMap((finding) => {
    if (finding.apiServer !== 'accepts' || !insideRejection(finding)) return [finding];
    // How kubectl reads a YAML 1.1 value is what explains the rejection: kept, with the verdict the value gets.
    return finding.rule === 'yaml-1.1' ? [{ ...finding, apiServer: 'rejects' as const }] : [];
  });
}

/**
 * Schema findings for the target version as they are, and those only a newer version has as
 * warnings: the manifests work today and will break on upgrade.
 */
function schemaFindings(objects: readonly SourcedObject[], options: ValidateOptions): Finding[] {
  const target = options.kubernetesVersion ?? DEFAULT_SCHEMA_VERSION;
  const upgrades = options.upgradeVersions ?? SCHEMA_VERSIONS.filter((version) => compareKubernetesVersions(version, target) > 0);
  const checked = checkSchemaReleases(objects, target, upgrades);
  const seen = new Set(checked.target.map(findingKey));
  const upcoming = checked.newer.flatMap(({ version, findings }) => findings
    .filter((finding) => !seen.has(findingKey(finding)))
    .map((finding): Finding => ({ ...finding, severity: 'warning', message: `on upgrade to Kubernetes ${version}: ${finding.message}` })));
  return [...checked.target, ...upcoming];
}

function findingKey(finding: Finding): string {
  return `${finding.source}\u0000${finding.object}\u0000${finding.path}\u0000${finding.rule}`;
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
      lines.push(`  ${finding.severity.padEnd(7)} ${finding.object}${finding.path ? ` ${finding.path}` : ''}: ${finding.message} [${finding.rule}; ${verdict}]`);
    }
    lines.push('');
  }
  lines.push(`${report.objects} objects checked, ${report.errors} errors, ${report.warnings} warnings`);
  return lines.join('\n');
}

import { asRecord, field, joinPath } from '../../manifest/objects';
import { finding, IndexedObject, ObjectIndex, Rule } from '../rule';
import { isDns1035Label, isDns1123Label, isDns1123Subdomain, labelKeyProblem, labelValueProblem } from '../../manifest/names';
import { Finding } from '../../manifest/types';

export { isDns1035Label, isDns1123Label, isDns1123Subdomain, labelKeyProblem, labelValueProblem } from '../../manifest/names';

interface NameFormat {
  readonly describe: string;
  readonly valid: (name: string) => boolean;
}

const SUBDOMAIN: NameFormat = { describe: 'a DNS-1123 subdomain (lowercase letters, digits, "-" and ".", at most 253 characters)', valid: isDns1123Subdomain };
const LABEL_1123: NameFormat = { describe: 'a DNS-1123 label (lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters)', valid: isDns1123Label };

const NAME_FORMATS: Readonly<Record<string, NameFormat>> = {
  Service: { describe: 'a DNS-1035 label (lowercase letters, digits and "-", starting with a letter, at most 63 characters), since it becomes a DNS name', valid: isDns1035Label },
  Namespace: LABEL_1123,
  // Pod hostnames are <statefulset>-<ordinal>, so the name must itself be a valid hostname label.
  StatefulSet: { ...LABEL_1123, describe: `${LABEL_1123.describe}, since pod hostnames derive from it` },
  // Jobs created by a CronJob get an 11-character suffix, so the API server caps the name at 52.
  CronJob: { describe: 'a DNS-1123 subdomain of at most 52 characters', valid: (name) => name.length <= 52 && isDns1123Subdomain(name) },
  ...Object.fromEntries([
    'Deployment', 'DaemonSet', 'ReplicaSet', 'Job', 'Pod', 'ConfigMap', 'Secret', 'Ingress', 'PersistentVolumeClaim', 'PersistentVolume',
    'ServiceAccount', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'NetworkPolicy', 'StorageClass', 'IngressClass', 'PriorityClass',
    'LimitRange', 'ResourceQuota',
  ].map((kind) => [kind, SUBDOMAIN])),
};

function checkName(object: IndexedObject, findings: Finding[]): void {
  const metadata = object.object.metadata ?? {};
  if (metadata.name === undefined) {
    if (metadata.generateName !== undefined) return;
    findings.push(finding(names, object, 'metadata.name', 'metadata.name is missing; the API server rejects the object (kubectl apply needs a name). Give it a name.'));
    return;
  }
  const format = NAME_FORMATS[object.kind];
  if (!format || format.valid(String(metadata.name))) return;
  findings.push(finding(names, object, 'metadata.name',
    `metadata.name "${String(metadata.name)}" is not ${format.describe}; the API server rejects it. Rename it, e.g. "${suggestName(String(metadata.name))}".`));
}

function suggestName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^[^a-z]+/, '').replace(/-+$/, '').slice(0, 63) || 'name';
}

function checkNamespace(object: IndexedObject, findings: Finding[]): void {
  const namespace = object.object.metadata?.namespace;
  if (namespace === undefined || isDns1123Label(String(namespace))) return;
  findings.push(finding(names, object, 'metadata.namespace', `metadata.namespace "${String(namespace)}" is not ${LABEL_1123.describe}; the API server rejects it. Use a valid namespace name.`));
}

/** Checks the labels of every object; the same few keys recur on every object, so their verdicts are kept. */
class LabelChecker {
  private readonly keyProblems = new Map<string, string | undefined>();

  constructor(private readonly findings: Finding[]) {}

  check(object: IndexedObject, labels: unknown, path: string): void {
    const record = asRecord(labels);
    if (!record) return;
    for (const key in record) {
      if (!Object.prototype.hasOwnProperty.call(record, key)) continue;
      const keyProblem = this.keyProblem(key);
      if (keyProblem) this.findings.push(finding(names, object, joinPath(path, key), `label key "${key}" at ${path} is invalid: ${keyProblem}; the API server rejects it. Fix the key.`));
      const value = record[key];
      const valueProblem = labelValueProblem(value);
      if (valueProblem) this.findings.push(finding(names, object, joinPath(path, key), `label value ${JSON.stringify(value)} of "${key}" at ${path} is invalid: ${valueProblem}; the API server rejects it. Fix the value.`));
    }
  }

  private keyProblem(key: string): string | undefined {
    if (!this.keyProblems.has(key)) this.keyProblems.set(key, labelKeyProblem(key));
    return this.keyProblems.get(key);
  }
}

function checkLabelPlaces(index: ObjectIndex, object: IndexedObject, labels: LabelChecker): void {
  labels.check(object, object.object.metadata?.labels, 'metadata.labels');
  const template = index.podTemplateOf(object);
  if (template && template.labelsPath !== 'metadata.labels') labels.check(object, template.labels, template.labelsPath);
  if (object.kind === 'Service') labels.check(object, field(object.object, 'spec', 'selector'), 'spec.selector');
  else labels.check(object, field(object.object, 'spec', 'selector', 'matchLabels'), 'spec.selector.matchLabels');
}

export const names: Rule = {
  id: 'names',
  summary: 'Object names, namespaces, label keys and label values follow the Kubernetes syntax for their kind.',
  breaks: 'kubectl apply fails: the API server rejects invalid names and labels.',
  apiServer: 'rejects',
  check: (index) => {
    const findings: Finding[] = [];
    const labels = new LabelChecker(findings);
    for (const object of index.objects) {
      checkName(object, findings);
      checkNamespace(object, findings);
      checkLabelPlaces(index, object, labels);
    }
    return findings;
  },
};

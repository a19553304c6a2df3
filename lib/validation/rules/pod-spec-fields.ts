import { asArray, asRecord, Json } from '../../manifest/objects';
import { ObjectIndex, IndexedPodTemplate, Rule, findingsOf } from '../rule';
import { Finding } from '../../manifest/types';
import { isDns1123Label } from '../../manifest/names';
import { FieldFindings, isInteger, show } from '../field-checks';
import { checkSeccompProfile, checkSecurityIds } from './container-fields';

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'];
/** Kinds whose pods must run forever: their controllers replace pods, never let them finish. */
const LONG_RUNNING_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController']);
const BATCH_KINDS = new Set(['Job', 'CronJob']);
const VOLUME_SOURCES = [
  'emptyDir', 'hostPath', 'gitRepo', 'secret', 'nfs', 'iscsi', 'glusterfs', 'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs',
  'flocker', 'downwardAPI', 'fc', 'azureFile', 'configMap', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected',
  'portworxVolume', 'scaleIO', 'storageos', 'csi', 'ephemeral', 'image', 'awsElasticBlockStore', 'gcePersistentDisk',
];
const MAX_FILE_MODE = 0o777;

function checkRestartPolicy(checks: FieldFindings, template: IndexedPodTemplate): void {
  const path = `${template.specPath}.restartPolicy`;
  const policy = template.spec.restartPolicy;
  const kind = template.owner.kind;
  if (LONG_RUNNING_KINDS.has(kind)) {
    if (policy !== undefined && policy !== 'Always') {
      checks.reject(path, `${path} is ${show(policy)}, but a ${kind} only runs pods with restartPolicy Always (its controller replaces pods instead of letting them finish)`, 'Remove restartPolicy, or use a Job for work that finishes.');
    }
  } else if (BATCH_KINDS.has(kind)) {
    if (policy === undefined || policy === 'Always') {
      checks.reject(path, `${path} is ${policy === undefined ? 'not set (it defaults to Always)' : '"Always"'}, but the pods of a ${kind} must finish: it must be OnFailure or Never`, 'Set restartPolicy: OnFailure (retry in the pod) or Never (retry with a new pod).');
    } else {
      checks.oneOf(path, policy, ['OnFailure', 'Never']);
    }
  } else {
    checks.oneOf(path, policy, RESTART_POLICIES);
  }
}

function checkKeyToPaths(checks: FieldFindings, items: unknown, path: string): void {
  asArray(items).forEach((raw, i) => {
    const item = asRecord(raw) ?? {};
    const itemPath = `${path}.items[${i}]`;
    if (typeof item.path === 'string') {
      const parts = item.path.split('/');
      if (item.path === '') checks.reject(`${itemPath}.path`, `${itemPath}.path is empty`, 'Give the file name inside the volume.');
      else if (item.path.startsWith('/')) checks.reject(`${itemPath}.path`, `${itemPath}.path ${show(item.path)} is absolute, but it must be relative to the mount`, 'Drop the leading "/".');
      else if (parts.includes('..') || item.path.startsWith('..')) checks.reject(`${itemPath}.path`, `${itemPath}.path ${show(item.path)} contains or starts with "..", which could leave the volume`, 'Use a path inside the volume.');
    }
    checkFileMode(checks, item.mode, `${itemPath}.mode`);
  });
}

function checkFileMode(checks: FieldFindings, mode: unknown, path: string): void {
  if (!isInteger(mode) || (mode >= 0 && mode <= MAX_FILE_MODE)) return;
  checks.reject(path, `${path} is ${mode}, but a file mode must be from 0 to 0777 (511 in decimal; in YAML write 0644 or 420)`, 'Use an octal mode such as 0644.');
}

function checkVolume(checks: FieldFindings, volume: Json, path: string): void {
  if (typeof volume.name === 'string' && !isDns1123Label(volume.name)) {
    checks.reject(`${path}.name`, `volume name ${show(volume.name)} is not a DNS-1123 label (lowercase letters, digits and "-", at most 63 characters)`, 'Rename the volume and its mounts.');
  }
  const sources = VOLUME_SOURCES.filter((source) => volume[source] !== undefined && volume[source] !== null);
  if (sources.length > 1) {
    checks.reject(`${path}.${sources[1]}`, `volume ${show(volume.name)} has ${sources.length} sources (${sources.join(', ')}); a volume has exactly one`, 'Split it into one volume per source.');
  }
  const secret = asRecord(volume.secret);
  if (secret) {
    if (!secret.secretName) checks.reject(`${path}.secret.secretName`, `secret volume ${show(volume.name)} names no Secret`, 'Set secretName.');
    checkFileMode(checks, secret.defaultMode, `${path}.secret.defaultMode`);
    checkKeyToPaths(checks, secret.items, `${path}.secret`);
  }
  const configMap = asRecord(volume.configMap);
  if (configMap) {
    if (!configMap.name) checks.reject(`${path}.configMap.name`, `configMap volume ${show(volume.name)} names no ConfigMap`, 'Set name.');
    checkFileMode(checks, configMap.defaultMode, `${path}.configMap.defaultMode`);
    checkKeyToPaths(checks, configMap.items, `${path}.configMap`);
  }
  const projected = asRecord(volume.projected);
  if (projected) {
    checkFileMode(checks, projected.defaultMode, `${path}.projected.defaultMode`);
    asArray(projected.sources).forEach((raw, j) => {
      const source = asRecord(raw) ?? {};
      for (const kind of ['secret', 'configMap'] as const) {
        const ref = asRecord(source[kind]);
        if (ref) checkKeyToPaths(checks, ref.items, `${path}.projected.sources[${j}].${kind}`);
      }
    });
  }
  const claim = asRecord(volume.persistentVolumeClaim);
  if (claim && !claim.claimName) checks.reject(`${path}.persistentVolumeClaim.claimName`, `persistentVolumeClaim volume ${show(volume.name)} names no claim`, 'Set claimName.');
}

function checkPodSecurityContext(checks: FieldFindings, template: IndexedPodTemplate): void {
  const context = asRecord(template.spec.securityContext);
  if (!context) return;
  const path = `${template.specPath}.securityContext`;
  checkSecurityIds(checks, context, path, ['runAsUser', 'runAsGroup', 'fsGroup']);
  asArray(context.supplementalGroups).forEach((group, i) => checks.inRange(`${path}.supplementalGroups[${i}]`, group, 0, 2147483647));
  checks.oneOf(`${path}.fsGroupChangePolicy`, context.fsGroupChangePolicy, ['OnRootMismatch', 'Always']);
  checkSeccompProfile(checks, context.seccompProfile, `${path}.seccompProfile`);
}

/**
 * Pod spec fields that name another object and that ValidatePodSpec checks as DNS-1123 subdomains
 * (k8s.io/kubernetes pkg/apis/core/validation): an unexpanded placeholder such as `${KSA_NAME}` is
 * the usual culprit. `serviceAccount` is the deprecated alias the API server copies into an empty
 * `serviceAccountName` before it validates.
 */
const SUBDOMAIN_NAME_FIELDS = ['serviceAccountName', 'nodeName', 'priorityClassName', 'runtimeClassName'] as const;

function checkNameFields(checks: FieldFindings, template: IndexedPodTemplate): void {
  const { spec, specPath } = template;
  for (const name of SUBDOMAIN_NAME_FIELDS) checks.subdomainName(`${specPath}.${name}`, spec[name], `the name of a ${name.replace(/Name$/, '')}`);
  if (spec.serviceAccountName === undefined || spec.serviceAccountName === '') {
    checks.subdomainName(`${specPath}.serviceAccount`, spec.serviceAccount, 'the name of a serviceAccount (the deprecated alias of serviceAccountName)');
  }
  asArray(spec.hostAliases).forEach((raw, i) => {
    asArray(asRecord(raw)?.hostnames).forEach((hostname, j) => checks.subdomainName(`${specPath}.hostAliases[${i}].hostnames[${j}]`, hostname, 'a host name'));
  });
}

function checkTemplate(template: IndexedPodTemplate): Finding[] {
  const checks = new FieldFindings(podSpecFields, template.owner);
  const { spec, specPath } = template;
  checkRestartPolicy(checks, template);
  checks.oneOf(`${specPath}.dnsPolicy`, spec.dnsPolicy, DNS_POLICIES);
  if (spec.activeDeadlineSeconds !== undefined && LONG_RUNNING_KINDS.has(template.owner.kind)) {
    checks.reject(`${specPath}.activeDeadlineSeconds`, `${specPath}.activeDeadlineSeconds is set, but the pods of a ${template.owner.kind} run forever`, 'Remove it (a Job can have a deadline).');
  } else {
    checks.inRange(`${specPath}.activeDeadlineSeconds`, spec.activeDeadlineSeconds, 1, 2147483647);
  }
  for (const field of ['hostname', 'subdomain'] as const) {
    const value = spec[field];
    // A StatefulSet's controller sets both on each pod, so the API server does not check its template's.
    if (typeof value === 'string' && value !== '' && template.owner.kind !== 'StatefulSet' && !isDns1123Label(value)) {
      checks.reject(`${specPath}.${field}`, `${specPath}.${field} ${show(value)} is not a DNS-1123 label`, 'Use lowercase letters, digits and "-", at most 63 characters.');
    }
  }
  checkNameFields(checks, template);
  checkPodSecurityContext(checks, template);
  asArray(spec.volumes).forEach((raw, i) => {
    const volume = asRecord(raw);
    if (volume) checkVolume(checks, volume, `${specPath}.volumes[${i}]`);
  });
  return checks.findings;
}

export const podSpecFields: Rule = {
  id: 'pod-spec-fields',
  summary: 'Pod templates have a restart policy their controller allows (Always for Deployments and StatefulSets, OnFailure or Never for Jobs), a known DNS policy, names of other objects (service account, node, priority class, runtime class) and host aliases that are DNS-1123 subdomains, valid volumes (one source, safe item paths, file modes ≤ 0777) and a valid pod security context.',
  breaks: 'kubectl apply fails: the API server validates the pod template of every workload.',
  apiServer: 'rejects',
  check: (index: ObjectIndex) => findingsOf(index.podTemplates, checkTemplate),
};

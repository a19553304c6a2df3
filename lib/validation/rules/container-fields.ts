import { asArray, asRecord } from '../../manifest/objects';
import { ContainerRef, ObjectIndex, IndexedPodTemplate, Rule, RuleContext, findingsOf } from '../rule';
import { Finding } from '../../manifest/types';
import { configKeyProblem, envVarNameProblem, isDns1123Label, portNameProblem, PORT_NAME_RULE, RELAXED_ENV_VAR_NAMES_SINCE } from '../../manifest/names';
import { compareKubernetesVersions } from '../../manifest/api/load';
import { FieldFindings, show } from '../field-checks';

const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
const TERMINATION_MESSAGE_POLICIES = ['File', 'FallbackToLogsOnError'];
const PROC_MOUNTS = ['Default', 'Unmasked'];
const ENV_SOURCES = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'];
/** The largest uid/gid Kubernetes accepts (a 31-bit integer). */
const MAX_ID = 2147483647;

function checkPorts(checks: FieldFindings, ref: ContainerRef): void {
  const names = new Map<string, number>();
  asArray(ref.container.ports).forEach((raw, i) => {
    const port = asRecord(raw) ?? {};
    const path = `${ref.path}.ports[${i}]`;
    if (typeof port.name === 'string') {
      const problem = portNameProblem(port.name);
      const first = names.get(port.name);
      if (problem) {
        checks.reject(`${path}.name`, `port name ${show(port.name)} of container ${show(ref.container.name)} is invalid: ${problem}; a port name must be ${PORT_NAME_RULE}`, 'Shorten or fix the name (Services and probes refer to it).');
      } else if (first !== undefined) {
        checks.reject(`${path}.name`, `port name ${show(port.name)} of container ${show(ref.container.name)} is already used by ports[${first}]`, 'Give every port of a container its own name.');
      } else {
        names.set(port.name, i);
      }
    }
    checks.inRange(`${path}.containerPort`, port.containerPort, 1, 65535);
    if (port.hostPort !== 0) checks.inRange(`${path}.hostPort`, port.hostPort, 1, 65535);
    checks.oneOf(`${path}.protocol`, port.protocol, PROTOCOLS);
  });
}

function checkEnv(checks: FieldFindings, ref: ContainerRef, context: RuleContext): void {
  const relaxed = compareKubernetesVersions(context.kubernetesVersion, RELAXED_ENV_VAR_NAMES_SINCE) >= 0;
  asArray(ref.container.env).forEach((raw, i) => {
    const env = asRecord(raw) ?? {};
    const path = `${ref.path}.env[${i}]`;
    if (typeof env.name === 'string') {
      const problem = envVarNameProblem(env.name, relaxed);
      if (problem) {
        const since = relaxed ? '' : ` in Kubernetes ${context.kubernetesVersion} (from ${RELAXED_ENV_VAR_NAMES_SINCE} on, any printable ASCII but "=" is accepted)`;
        checks.reject(`${path}.name`, `environment variable name ${show(env.name)} is invalid${since}: ${problem}`, 'Rename the variable.');
      }
    }
    const valueFrom = asRecord(env.valueFrom);
    if (!valueFrom) return;
    const sources = ENV_SOURCES.filter((source) => valueFrom[source] !== undefined && valueFrom[source] !== null);
    if (sources.length === 0) {
      checks.reject(`${path}.valueFrom`, `${path}.valueFrom names no source`, `Set exactly one of ${ENV_SOURCES.join(', ')}.`);
    } else if (typeof env.value === 'string' && env.value !== '') {
      checks.reject(`${path}.valueFrom`, `${path} has both a value and valueFrom`, 'Keep one of them.');
    } else if (sources.length > 1) {
      checks.reject(`${path}.valueFrom`, `${path}.valueFrom sets ${sources.join(' and ')}`, 'Set exactly one source.');
    }
    for (const source of ['configMapKeyRef', 'secretKeyRef']) {
      const key = asRecord(valueFrom[source])?.key;
      const problem = typeof key === 'string' ? configKeyProblem(key) : undefined;
      if (problem) checks.reject(`${path}.valueFrom.${source}.key`, `key ${show(key)} is not a valid ${source === 'secretKeyRef' ? 'Secret' : 'ConfigMap'} key: ${problem}`, 'Use the key as it is in the data.');
    }
  });
}

/** envFrom names a ConfigMap or Secret by a DNS-1123 subdomain, a trailing "-" allowed (validateConfigMapEnvSource, validateSecretEnvSource). */
function checkEnvFrom(checks: FieldFindings, ref: ContainerRef): void {
  asArray(ref.container.envFrom).forEach((raw, i) => {
    const envFrom = asRecord(raw) ?? {};
    for (const [source, kind] of [['configMapRef', 'ConfigMap'], ['secretRef', 'Secret']] as const) {
      checks.subdomainName(`${ref.path}.envFrom[${i}].${source}.name`, asRecord(envFrom[source])?.name, `the name of a ${kind}`, true);
    }
  });
}

/** Container and pod security contexts share these. */
export function checkSecurityIds(checks: FieldFindings, securityContext: Record<string, unknown>, path: string, fields: readonly string[]): void {
  for (const field of fields) checks.inRange(`${path}.${field}`, securityContext[field], 0, MAX_ID);
}

/** seccompProfile: type RuntimeDefault, Unconfined or Localhost; localhostProfile exactly with Localhost. */
export function checkSeccompProfile(checks: FieldFindings, value: unknown, path: string): void {
  const profile = asRecord(value);
  if (!profile) return;
  checks.oneOf(`${path}.type`, profile.type, ['RuntimeDefault', 'Unconfined', 'Localhost']);
  if (profile.type === 'Localhost' && profile.localhostProfile === undefined) {
    checks.reject(`${path}.localhostProfile`, `${path}.type is Localhost but localhostProfile is missing`, 'Name the profile file, relative to the kubelet\'s seccomp directory.');
  } else if (profile.type === 'Localhost' && typeof profile.localhostProfile === 'string'
    && (profile.localhostProfile.startsWith('/') || profile.localhostProfile.split('/').includes('..'))) {
    checks.reject(`${path}.localhostProfile`, `${path}.localhostProfile ${show(profile.localhostProfile)} must be a relative path without ".."`, 'Give the path relative to the kubelet\'s seccomp directory.');
  } else if (profile.type !== 'Localhost' && profile.localhostProfile !== undefined) {
    checks.reject(`${path}.localhostProfile`, `${path}.localhostProfile is set, but type is ${show(profile.type)}`, 'Remove localhostProfile or set type: Localhost.');
  }
}

/** ProcMountType is on by default from 1.33; before, the API server resets any procMount to Default instead of validating it. */
const PROC_MOUNT_VALIDATED_SINCE = '1.33';

function checkProcMount(checks: FieldFindings, ref: ContainerRef, context: Record<string, unknown>, rules: RuleContext, podHostUsers: unknown): void {
  const path = `${ref.path}.securityContext.procMount`;
  if (context.procMount === undefined) return;
  if (compareKubernetesVersions(rules.kubernetesVersion, PROC_MOUNT_VALIDATED_SINCE) < 0) {
    if (context.procMount !== 'Default') {
      checks.warn(path, `${path} is ${show(context.procMount)}, but Kubernetes ${rules.kubernetesVersion} has the ProcMountType feature off by default`,
        'the field is reset to Default and the container runs with the default /proc (from 1.33 on the server validates it)', 'Remove procMount, or enable ProcMountType on the cluster.');
    }
    return;
  }
  checks.oneOf(path, context.procMount, PROC_MOUNTS);
  if (context.procMount === 'Unmasked' && podHostUsers !== false) {
    checks.reject(path, `${path} is Unmasked, which needs a user namespace (hostUsers: false in the pod spec)`, 'Set spec.hostUsers: false, or drop procMount.');
  }
}

function checkSecurityContext(checks: FieldFindings, ref: ContainerRef, rules: RuleContext, podHostUsers: unknown): void {
  const context = asRecord(ref.container.securityContext);
  if (!context) return;
  const path = `${ref.path}.securityContext`;
  checkSecurityIds(checks, context, path, ['runAsUser', 'runAsGroup']);
  checkProcMount(checks, ref, context, rules, podHostUsers);
  checkSeccompProfile(checks, context.seccompProfile, `${path}.seccompProfile`);
  if (context.allowPrivilegeEscalation === false) {
    if (context.privileged === true) {
      checks.reject(path, `${path} sets privileged: true with allowPrivilegeEscalation: false, which contradict each other`, 'Drop privileged (or allowPrivilegeEscalation: false).');
    }
    if (asArray(asRecord(context.capabilities)?.add).includes('CAP_SYS_ADMIN')) {
      checks.reject(`${path}.capabilities.add`, `${path} adds CAP_SYS_ADMIN with allowPrivilegeEscalation: false, which contradict each other`, 'Do not add CAP_SYS_ADMIN.');
    }
  }
}

/**
 * From 1.34 the API server silently drops a container restartPolicy it does not support (unless the
 * alpha ContainerRestartRules gate is on); up to 1.33 it rejects it.
 */
const CONTAINER_RESTART_POLICY_DROPPED_SINCE = '1.34';

function checkContainerRestartPolicy(checks: FieldFindings, ref: ContainerRef, context: RuleContext): void {
  const path = `${ref.path}.restartPolicy`;
  const problem = ref.isInit
    ? `${path} of init container ${show(ref.container.name)} is ${show(ref.container.restartPolicy)}, but the only restartPolicy an init container takes is Always (which makes it a sidecar)`
    : `container ${show(ref.container.name)} sets restartPolicy, which only init containers may set (restartPolicy: Always makes a sidecar)`;
  const fix = ref.isInit ? 'Set restartPolicy: Always for a sidecar, or remove it.' : 'Remove it, or make the container an init container.';
  if (compareKubernetesVersions(context.kubernetesVersion, CONTAINER_RESTART_POLICY_DROPPED_SINCE) >= 0) {
    checks.warn(path, `${problem} (Kubernetes ${context.kubernetesVersion})`, 'it drops the field without a word, so the setting has no effect', fix);
  } else {
    checks.reject(path, `${problem} (up to Kubernetes 1.33; 1.34 drops the field instead)`, fix);
  }
}

function checkContainer(checks: FieldFindings, ref: ContainerRef, context: RuleContext, podHostUsers: unknown): void {
  const { container, path } = ref;
  if (typeof container.name === 'string' && !isDns1123Label(container.name)) {
    checks.reject(`${path}.name`, `container name ${show(container.name)} is not a DNS-1123 label (lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters)`, 'Rename the container.');
  }
  if (container.image === undefined || container.image === '') {
    checks.reject(`${path}.image`, `container ${show(container.name)} has no image`, 'Set image, e.g. "registry.example.com/app:1.2.3".');
  }
  checks.oneOf(`${path}.imagePullPolicy`, container.imagePullPolicy, PULL_POLICIES);
  checks.oneOf(`${path}.terminationMessagePolicy`, container.terminationMessagePolicy, TERMINATION_MESSAGE_POLICIES);
  if (container.restartPolicy !== undefined && (!ref.isInit || container.restartPolicy !== 'Always')) checkContainerRestartPolicy(checks, ref, context);
  checkPorts(checks, ref);
  checkEnv(checks, ref, context);
  checkEnvFrom(checks, ref);
  checkSecurityContext(checks, ref, context, podHostUsers);
}

function checkTemplate(template: IndexedPodTemplate, context: RuleContext): Finding[] {
  const checks = new FieldFindings(containerFields, template.owner);
  if (template.containers.every((ref) => ref.isInit)) {
    checks.reject(`${template.specPath}.containers`, `${template.specPath}.containers is empty`, 'A pod needs at least one container.');
  }
  const names = new Map<string, string>();
  for (const ref of template.containers) {
    checkContainer(checks, ref, context, template.spec.hostUsers);
    const name = ref.container.name;
    if (typeof name !== 'string' || name === '') continue;
    const first = names.get(name);
    if (first !== undefined) {
      checks.reject(`${ref.path}.name`, `container name ${show(name)} is already used by ${first}`, 'Containers and init containers of a pod need distinct names.');
    } else {
      names.set(name, ref.path);
    }
  }
  return checks.findings;
}

export const containerFields: Rule = {
  id: 'container-fields',
  summary: 'Containers have valid, distinct names, an image, known pull and termination-message policies, valid and distinct ports, valid env var names (per target release) and sources, envFrom names that are DNS-1123 subdomains, and a consistent security context.',
  breaks: 'kubectl apply fails: the API server validates every container of a pod template.',
  apiServer: 'rejects',
  check: (index: ObjectIndex, context: RuleContext) => findingsOf(index.podTemplates, (template) => checkTemplate(template, context)),
};

import { asArray, asRecord, asString, Json } from '../../manifest/objects';
import { finding, IndexedObject, isDeclaredExternal, ObjectIndex, IndexedPodTemplate, Rule, RuleContext, findingsOf } from '../rule';
import { Finding } from '../../manifest/types';

type ConfigKind = 'Secret' | 'ConfigMap';

/** One place a pod refers to a Secret or ConfigMap. */
interface ConfigReference {
  readonly kind: ConfigKind;
  readonly name: string | undefined;
  readonly keys: readonly { key: string; path: string }[];
  readonly optional: boolean;
  /** Path of the name field. */
  readonly path: string;
  /** What happens when it is missing. */
  readonly failure: string;
  readonly severity: 'error' | 'warning';
}

const ENV_FAILURE = 'the container stays in CreateContainerConfigError';
const VOLUME_FAILURE = 'the pod stays in ContainerCreating (FailedMount)';

function itemKeys(items: unknown, path: string): { key: string; path: string }[] {
  return asArray(items).flatMap((item, i) => {
    const key = asString(asRecord(item)?.key);
    return key === undefined ? [] : [{ key, path: `${path}.items[${i}].key` }];
  });
}

function envReferences(container: Json, path: string): ConfigReference[] {
  const refs: ConfigReference[] = [];
  asArray(container.env).forEach((raw, i) => {
    const valueFrom = asRecord(asRecord(raw)?.valueFrom);
    for (const [field, kind] of [['secretKeyRef', 'Secret'], ['configMapKeyRef', 'ConfigMap']] as const) {
      const ref = asRecord(valueFrom?.[field]);
      if (!ref) continue;
      const refPath = `${path}.env[${i}].valueFrom.${field}`;
      const key = asString(ref.key);
      refs.push({
        kind, name: asString(ref.name), optional: ref.optional === true, path: `${refPath}.name`,
        keys: key === undefined ? [] : [{ key, path: `${refPath}.key` }], failure: ENV_FAILURE, severity: 'error',
      });
    }
  });
  asArray(container.envFrom).forEach((raw, i) => {
    const envFrom = asRecord(raw) ?? {};
    for (const [field, kind] of [['secretRef', 'Secret'], ['configMapRef', 'ConfigMap']] as const) {
      const ref = asRecord(envFrom[field]);
      if (!ref) continue;
      refs.push({ kind, name: asString(ref.name), optional: ref.optional === true, path: `${path}.envFrom[${i}].${field}.name`, keys: [], failure: ENV_FAILURE, severity: 'error' });
    }
  });
  return refs;
}

function volumeReferences(spec: Json, specPath: string): ConfigReference[] {
  const refs: ConfigReference[] = [];
  asArray(spec.volumes).forEach((raw, i) => {
    const volume = asRecord(raw) ?? {};
    const path = `${specPath}.volumes[${i}]`;
    const secret = asRecord(volume.secret);
    if (secret) {
      refs.push({ kind: 'Secret', name: asString(secret.secretName), optional: secret.optional === true, path: `${path}.secret.secretName`,
        keys: itemKeys(secret.items, `${path}.secret`), failure: VOLUME_FAILURE, severity: 'error' });
    }
    const configMap = asRecord(volume.configMap);
    if (configMap) {
      refs.push({ kind: 'ConfigMap', name: asString(configMap.name), optional: configMap.optional === true, path: `${path}.configMap.name`,
        keys: itemKeys(configMap.items, `${path}.configMap`), failure: VOLUME_FAILURE, severity: 'error' });
    }
    asArray(asRecord(volume.projected)?.sources).forEach((rawSource, j) => {
      const source = asRecord(rawSource) ?? {};
      const sourcePath = `${path}.projected.sources[${j}]`;
      for (const [field, kind] of [['secret', 'Secret'], ['configMap', 'ConfigMap']] as const) {
        const ref = asRecord(source[field]);
        if (!ref) continue;
        refs.push({ kind, name: asString(ref.name), optional: ref.optional === true, path: `${sourcePath}.${field}.name`,
          keys: itemKeys(ref.items, `${sourcePath}.${field}`), failure: VOLUME_FAILURE, severity: 'error' });
      }
    });
  });
  return refs;
}

function pullSecretReferences(spec: Json, specPath: string): ConfigReference[] {
  // A missing pull secret is only a warning: the kubelet pulls without it, which works for public images.
  return asArray(spec.imagePullSecrets).map((raw, i) => ({
    kind: 'Secret', name: asString(asRecord(raw)?.name), optional: false, path: `${specPath}.imagePullSecrets[${i}].name`, keys: [],
    failure: 'the kubelet pulls without credentials, so private images fail with ImagePullBackOff', severity: 'warning',
  }));
}

function referencesOf(template: IndexedPodTemplate): ConfigReference[] {
  return [
    ...template.containers.flatMap(({ container, path }) => envReferences(container, path)),
    ...volumeReferences(template.spec, template.specPath),
    ...pullSecretReferences(template.spec, template.specPath),
  ];
}

function keysOf(config: IndexedObject): Set<string> {
  const fields = config.kind === 'Secret' ? ['data', 'stringData'] : ['data', 'binaryData'];
  return new Set(fields.flatMap((name) => Object.keys(asRecord(config.object[name]) ?? {})));
}

function checkReference(index: ObjectIndex, context: RuleContext, template: IndexedPodTemplate, ref: ConfigReference): Finding[] {
  if (ref.optional || ref.name === undefined) return [];
  const { owner } = template;
  const config = index.find(ref.kind, template.namespace, ref.name);
  if (!config) {
    if (isDeclaredExternal(context, ref.kind, template.namespace, ref.name)) return [];
    return [finding(configReferences, owner, ref.path,
      `${ref.path} refers to ${ref.kind} ${ref.name}, which is neither in namespace ${template.namespace} of the set nor declared external; the API server accepts it, but ${ref.failure}. `
      + `Create the ${ref.kind}, declare it as an external object (declareExternalObject() in the app, or --external ${ref.kind}/${ref.name} when validating a folder), or mark the reference optional: true.`,
      { severity: ref.severity })];
  }
  const keys = keysOf(config);
  return ref.keys.filter(({ key }) => !keys.has(key)).map(({ key, path }) =>
    finding(configReferences, owner, path,
      `${path} refers to key "${key}" of ${ref.kind} ${ref.name}, which has only ${[...keys].join(', ') || 'no keys'}; the API server accepts it, but ${ref.failure}. Add the key or fix its name.`,
      { severity: ref.severity }));
}

export const configReferences: Rule = {
  id: 'config-references',
  summary: 'Secrets and ConfigMaps referenced by pods (env, envFrom, volumes, imagePullSecrets) exist in the set or are declared external, with the referenced keys.',
  breaks: 'Pods stay in CreateContainerConfigError or ContainerCreating; missing pull secrets cause ImagePullBackOff on private images.',
  apiServer: 'accepts',
  check: (index, context) => findingsOf(index.podTemplates, (template) =>
    findingsOf(referencesOf(template), (ref) => checkReference(index, context, template, ref))),
};

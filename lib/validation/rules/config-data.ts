import { asRecord, joinPath } from '../../manifest/objects';
import { IndexedObject, ObjectIndex, Rule, findingsOf } from '../rule';
import { Finding } from '../../manifest/types';
import { configKeyProblem } from '../../manifest/names';
import { FieldFindings, show } from '../field-checks';

/** The most a ConfigMap's or a Secret's data may hold, in bytes (etcd stores each object whole). */
const MAX_DATA_BYTES = 1024 * 1024;

/** Keys each Secret type must carry. */
const REQUIRED_SECRET_KEYS: Readonly<Record<string, readonly string[]>> = {
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
};

const base64Length = (value: unknown): number => (typeof value === 'string' ? Buffer.from(value, 'base64').length : 0);
const utf8Length = (value: unknown): number => (typeof value === 'string' ? Buffer.byteLength(value) : 0);

/**
 * Checks the keys of each data field and returns the size of each key's value; a key of a later
 * field wins (a Secret's stringData is merged over its data before the server validates it).
 */
function checkData(checks: FieldFindings, object: IndexedObject, fields: readonly (readonly [string, (value: unknown) => number])[]): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const [name, length] of fields) {
    for (const [key, value] of Object.entries(asRecord(object.object[name]) ?? {})) {
      const problem = configKeyProblem(key);
      if (problem) checks.reject(joinPath(name, key), `key ${show(key)} in ${name} is invalid: ${problem}`, 'Keys become file names: use letters, digits, "-", "_" and ".".');
      sizes.set(key, length(value));
    }
  }
  return sizes;
}

function checkSize(checks: FieldFindings, sizes: ReadonlyMap<string, number>, kind: string, fix: string): void {
  const size = [...sizes.values()].reduce((sum, length) => sum + length, 0);
  if (size > MAX_DATA_BYTES) checks.reject('data', `the data of the ${kind} is ${size} bytes, more than the 1 MiB (${MAX_DATA_BYTES} bytes) a ${kind} may hold`, fix);
}

function checkConfigMap(object: IndexedObject): Finding[] {
  const checks = new FieldFindings(configDataKeys, object);
  const sizes = checkData(checks, object, [['data', utf8Length], ['binaryData', base64Length]]);
  const binaryData = asRecord(object.object.binaryData) ?? {};
  for (const key of Object.keys(asRecord(object.object.data) ?? {}).filter((name) => name in binaryData)) {
    checks.reject(joinPath('data', key), `key ${show(key)} is in both data and binaryData`, 'Keep it in one of them.');
  }
  checkSize(checks, sizes, 'ConfigMap', 'Split it, or mount the content from a volume.');
  return checks.findings;
}

function checkSecret(object: IndexedObject): Finding[] {
  const checks = new FieldFindings(configDataKeys, object);
  const sizes = checkData(checks, object, [['data', base64Length], ['stringData', utf8Length]]);
  checkSize(checks, sizes, 'Secret', 'Split it into several Secrets.');
  const data = asRecord(object.object.data);
  const stringData = asRecord(object.object.stringData);
  const type = object.object.type;
  const required = typeof type === 'string' ? REQUIRED_SECRET_KEYS[type] ?? [] : [];
  for (const key of required.filter((name) => !sizes.has(name))) {
    checks.reject(joinPath('data', key), `a Secret of type ${type} needs the key ${show(key)} in data or stringData`, `Add ${key}, or use type Opaque.`);
  }
  if (type === 'kubernetes.io/basic-auth' && !sizes.has('username') && !sizes.has('password')) {
    checks.reject('data', 'a Secret of type kubernetes.io/basic-auth needs a username or a password key', 'Add username and password.');
  }
  if (type === 'kubernetes.io/service-account-token' && !object.object.metadata?.annotations?.['kubernetes.io/service-account.name']) {
    checks.reject('metadata.annotations["kubernetes.io/service-account.name"]', 'a Secret of type kubernetes.io/service-account-token needs the annotation kubernetes.io/service-account.name', 'Name the ServiceAccount the token is for.');
  }
  for (const key of ['.dockercfg', '.dockerconfigjson']) {
    if (type !== `kubernetes.io/${key.slice(1)}` || !sizes.has(key)) continue;
    const raw = stringData?.[key] ?? (typeof data?.[key] === 'string' ? Buffer.from(String(data[key]), 'base64').toString('utf8') : undefined);
    if (typeof raw === 'string' && !isJsonObject(raw)) {
      checks.reject(joinPath(stringData?.[key] !== undefined ? 'stringData' : 'data', key), `${key} of the Secret is not a JSON object`, 'Write the registry credentials as JSON (kubectl create secret docker-registry does).');
    }
  }
  return checks.findings;
}

/** What Go decodes into a map: a JSON object, or null. */
function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return value === null || (typeof value === 'object' && !Array.isArray(value));
  } catch {
    return false;
  }
}

export const configDataKeys: Rule = {
  id: 'config-data',
  summary: 'ConfigMap and Secret keys are valid file names, no key is in both data and binaryData, the data stays within 1 MiB, and typed Secrets (TLS, docker config, SSH, basic auth) carry their keys.',
  breaks: 'kubectl apply fails: the API server validates ConfigMap and Secret data.',
  apiServer: 'rejects',
  check: (index: ObjectIndex) => [...findingsOf(index.byKind('ConfigMap'), checkConfigMap), ...findingsOf(index.byKind('Secret'), checkSecret)],
};

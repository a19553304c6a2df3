import { asRecord, IndexedObject, ObjectIndex, Rule } from '../rule';
import { Finding } from '../types';
import { configKeyProblem } from '../names';
import { FieldFindings, keyPath, show } from '../field-checks';

/** The most a ConfigMap's or a Secret's data may hold, in bytes (etcd stores each object whole). */
const MAX_DATA_BYTES = 1024 * 1024;

/** Keys each Secret type must carry. */
const REQUIRED_SECRET_KEYS: Readonly<Record<string, readonly string[]>> = {
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
};

function decodedLength(value: unknown): number {
  return typeof value === 'string' ? Buffer.from(value, 'base64').length : 0;
}

function checkKeys(checks: FieldFindings, data: Record<string, unknown> | undefined, path: string): void {
  for (const key of Object.keys(data ?? {})) {
    const problem = configKeyProblem(key);
    if (problem) checks.reject(keyPath(path, key), `key ${show(key)} in ${path} is invalid: ${problem}`, 'Keys become file names: use letters, digits, "-", "_" and ".".');
  }
}

function checkConfigMap(object: IndexedObject): Finding[] {
  const checks = new FieldFindings(configDataKeys, object);
  const data = asRecord(object.object.data);
  const binaryData = asRecord(object.object.binaryData);
  checkKeys(checks, data, 'data');
  checkKeys(checks, binaryData, 'binaryData');
  for (const key of Object.keys(data ?? {})) {
    if (binaryData && key in binaryData) checks.reject(keyPath('data', key), `key ${show(key)} is in both data and binaryData`, 'Keep it in one of them.');
  }
  const size = Object.values(data ?? {}).reduce<number>((sum, value) => sum + (typeof value === 'string' ? Buffer.byteLength(value) : 0), 0)
    + Object.values(binaryData ?? {}).reduce<number>((sum, value) => sum + decodedLength(value), 0);
  if (size > MAX_DATA_BYTES) checks.reject('data', `the data of the ConfigMap is ${size} bytes, more than the 1 MiB (${MAX_DATA_BYTES} bytes) a ConfigMap may hold`, 'Split it, or mount the content from a volume.');
  return checks.findings;
}

function checkSecret(object: IndexedObject): Finding[] {
  const checks = new FieldFindings(configDataKeys, object);
  const data = asRecord(object.object.data);
  const stringData = asRecord(object.object.stringData);
  checkKeys(checks, data, 'data');
  checkKeys(checks, stringData, 'stringData');
  // stringData is merged into data (winning over it) before the server validates the Secret.
  const sizes = new Map<string, number>();
  for (const [key, value] of Object.entries(data ?? {})) sizes.set(key, decodedLength(value));
  for (const [key, value] of Object.entries(stringData ?? {})) sizes.set(key, typeof value === 'string' ? Buffer.byteLength(value) : 0);
  const size = [...sizes.values()].reduce((sum, length) => sum + length, 0);
  if (size > MAX_DATA_BYTES) checks.reject('data', `the data of the Secret is ${size} bytes, more than the 1 MiB (${MAX_DATA_BYTES} bytes) a Secret may hold`, 'Split it into several Secrets.');
  const type = object.object.type;
  const required = typeof type === 'string' ? REQUIRED_SECRET_KEYS[type] ?? [] : [];
  for (const key of required.filter((name) => !sizes.has(name))) {
    checks.reject(keyPath('data', key), `a Secret of type ${type} needs the key ${show(key)} in data or stringData`, `Add ${key}, or use type Opaque.`);
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
      checks.reject(keyPath(stringData?.[key] !== undefined ? 'stringData' : 'data', key), `${key} of the Secret is not a JSON object`, 'Write the registry credentials as JSON (kubectl create secret docker-registry does).');
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
  check: (index: ObjectIndex) => [...index.byKind('ConfigMap').flatMap(checkConfigMap), ...index.byKind('Secret').flatMap(checkSecret)],
};

/**
 * The name grammars Kubernetes enforces (k8s.io/apimachinery/pkg/util/validation), shared by the
 * whole-app rules and the constructs' prop checks.
 */
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

export function isDns1123Label(value: string): boolean {
  return value.length <= 63 && DNS1123_LABEL.test(value);
}

export function isDns1035Label(value: string): boolean {
  return value.length <= 63 && DNS1035_LABEL.test(value);
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function isDns1123Subdomain(value: string): boolean {
  return value.length <= 253 && DNS1123_SUBDOMAIN.test(value);
}

/** Why a label (or annotation) key is invalid, or `undefined` when it is valid. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && !isDns1123Subdomain(prefix)) return `its prefix "${prefix}" must be a DNS-1123 subdomain (lowercase letters, digits, "-" and ".")`;
  if (name.length === 0 || name.length > 63) return 'its name part must be 1 to 63 characters';
  if (!LABEL_NAME.test(name)) return 'its name part must start and end with a letter or digit and contain only letters, digits, "-", "_" and "."';
  return undefined;
}

/** Why a label value is invalid, or `undefined` when it is valid. */
export function labelValueProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return `it is a ${value === null ? 'null' : typeof value}, not a string (quote it in YAML)`;
  if (value.length > 63) return 'it is longer than 63 characters';
  if (value !== '' && !LABEL_NAME.test(value)) return 'it must be empty or start and end with a letter or digit and contain only letters, digits, "-", "_" and "."';
  return undefined;
}

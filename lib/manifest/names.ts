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

const WILDCARD_DNS1123_SUBDOMAIN = /^\*\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** `*.example.com`: a wildcard followed by a DNS-1123 subdomain (Ingress hosts). */
export function isWildcardDns1123Subdomain(value: string): boolean {
  return value.length <= 253 && WILDCARD_DNS1123_SUBDOMAIN.test(value);
}

const PORT_NAME_CHARACTERS = /^[-a-z0-9]+$/;
const HAS_LETTER = /[a-z]/;

/** What a port name (IANA_SVC_NAME) may be, as messages say it. */
export const PORT_NAME_RULE = 'an IANA service name: at most 15 characters of a-z, 0-9 and "-", with at least one letter, no "--" and no "-" at either end';

/**
 * Why a port name is invalid (container ports, Service targetPorts, probe ports, Ingress backend
 * ports), or `undefined` when it is valid.
 */
export function portNameProblem(value: string): string | undefined {
  if (value.length > 15) return 'it is longer than 15 characters';
  if (!PORT_NAME_CHARACTERS.test(value)) return 'it may contain only a-z, 0-9 and "-"';
  if (!HAS_LETTER.test(value)) return 'it needs at least one letter';
  if (value.includes('--')) return 'it contains "--"';
  if (value.startsWith('-') || value.endsWith('-')) return 'it starts or ends with "-"';
  return undefined;
}

/** Environment variable names before Kubernetes 1.32 (and on any server with RelaxedEnvironmentVariableValidation off). */
const STRICT_ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
/** From 1.32 on: printable ASCII but "=". */
const RELAXED_ENV_VAR_NAME = /^[\x20-\x3c\x3e-\x7e]+$/;

/** The first release whose API server accepts any printable ASCII env var name but "=" by default (beta in 1.32, GA in 1.34). */
export const RELAXED_ENV_VAR_NAMES_SINCE = '1.32';

/**
 * Why an environment variable name is invalid, or `undefined` when it is valid. `relaxed`: the
 * 1.32+ rule (printable ASCII except "="); otherwise letters, digits, "_", "-" and ".", not
 * starting with a digit.
 */
export function envVarNameProblem(name: string, relaxed: boolean): string | undefined {
  if (name === '') return 'it is empty';
  if (relaxed) return RELAXED_ENV_VAR_NAME.test(name) ? undefined : 'it may contain only printable ASCII characters other than "="';
  return STRICT_ENV_VAR_NAME.test(name) ? undefined : 'it may contain only letters, digits, "_", "-" and ".", and must not start with a digit';
}

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;

/** Why a ConfigMap or Secret key (also a volume item key) is invalid, or `undefined` when it is valid. */
export function configKeyProblem(key: string): string | undefined {
  if (key.length > 253) return 'it is longer than 253 characters';
  if (!CONFIG_KEY.test(key)) return 'it may contain only letters, digits, "-", "_" and "."';
  if (key === '.' || key === '..') return `it is "${key}"`;
  if (key.startsWith('..')) return 'it starts with ".."';
  return undefined;
}

/** Names that become a URL path segment (HPA targets, metric names): not "." or "..", no "/" or "%". */
export function pathSegmentProblem(name: string): string | undefined {
  if (name === '.' || name === '..') return `it is "${name}"`;
  if (name.includes('/') || name.includes('%')) return 'it contains "/" or "%"';
  return undefined;
}

import { IConstruct } from 'constructs';
import { envVarNameProblem, isDns1035Label, isDns1123Label, isDns1123Subdomain, labelKeyProblem, labelValueProblem, PORT_NAME_RULE, portNameProblem } from './validation/names';
import { parseQuantity } from './validation/quantity';
import { show } from './validation/field-checks';

export { isDns1035Label, isDns1123Label, isDns1123Subdomain };

/**
 * Prop validation shared by every construct. Each check throws an Error that names the
 * construct path, the field, the bad value and what is allowed, before any object is created.
 */

/** The error every construct throws for a bad prop. */
export function invalidProp(scope: IConstruct, field: string, value: unknown, allowed: string): Error {
  return invalidValue(scope.node.path, field, value, allowed);
}

/** The same error for code without a construct scope (static factories): `where` names the caller. */
export function invalidValue(where: string, field: string, value: unknown, allowed: string): Error {
  return new Error(`${where}: invalid ${field} ${show(value)}: ${allowed}`);
}

/**
 * Detaches a construct whose constructor failed from its parent and returns the error to rethrow,
 * so that a caught error leaves no half-built objects in the tree:
 * `try { … } catch (error) { throw removeHalfBuilt(this, error); }`.
 */
export function removeHalfBuilt(construct: IConstruct, error: unknown): unknown {
  construct.node.scope?.node.tryRemoveChild(construct.node.id);
  return error;
}

/** What a DNS-1123 label may be, as error messages say it. */
export const DNS1123_LABEL_RULE = 'must be a DNS-1123 label: at most 63 characters of a-z, 0-9 and "-", starting and ending with a letter or digit';

/** A name used for objects whose names become DNS labels (Services, StatefulSet pods, containers). */
export function checkDns1123Label(scope: IConstruct, field: string, value: string): string {
  if (typeof value !== 'string' || !isDns1123Label(value)) {
    throw invalidProp(scope, field, value, DNS1123_LABEL_RULE);
  }
  return value;
}

/** Service names must also start with a letter (DNS-1035). */
export function checkDns1035Label(scope: IConstruct, field: string, value: string): string {
  if (typeof value !== 'string' || !isDns1035Label(value)) {
    throw invalidProp(scope, field, value, 'must be a DNS-1035 label: at most 63 characters of a-z, 0-9 and "-", starting with a letter and ending with a letter or digit');
  }
  return value;
}

export function checkDns1123Subdomain(scope: IConstruct, field: string, value: string): string {
  if (typeof value !== 'string' || !isDns1123Subdomain(value)) {
    throw invalidProp(scope, field, value, 'must be a DNS-1123 subdomain: lowercase letters, digits, "-" and ".", at most 253 characters');
  }
  return value;
}

export function checkPort(scope: IConstruct, field: string, value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw invalidProp(scope, field, value, 'must be an integer port from 1 to 65535');
  }
  return value;
}

/** Named ports (container ports, Service ports) are IANA service names: at most 15 characters. */
export function checkPortName(scope: IConstruct, field: string, value: string): string {
  if (typeof value !== 'string' || portNameProblem(value) !== undefined) {
    throw invalidProp(scope, field, value, `must be ${PORT_NAME_RULE}`);
  }
  return value;
}

export function checkInteger(scope: IConstruct, field: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer from ${min} to ${max}`;
    throw invalidProp(scope, field, value, `must be ${range}`);
  }
  return value;
}

export function checkNonEmpty(scope: IConstruct, field: string, value: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw invalidProp(scope, field, value, 'must be a non-empty string');
  }
  return value;
}

export function checkAbsolutePath(scope: IConstruct, field: string, value: string): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.includes(':') || value.split('/').includes('..')) {
    throw invalidProp(scope, field, value, 'must be an absolute path without ".." or ":"');
  }
  return value;
}

export function checkEnvName(scope: IConstruct, field: string, value: string): string {
  if (typeof value !== 'string' || envVarNameProblem(value, false) !== undefined) {
    throw invalidProp(scope, field, value, 'must be a C identifier-like name of letters, digits, "_", "-" and ".", not starting with a digit');
  }
  return value;
}

/** Label and annotation keys: an optional DNS-1123 subdomain prefix and a name of at most 63 characters. */
export function isQualifiedName(key: string): boolean {
  return labelKeyProblem(key) === undefined;
}

export function isLabelValue(value: string): boolean {
  return labelValueProblem(value) === undefined;
}

export function checkLabels(scope: IConstruct, field: string, labels: Readonly<Record<string, string>> | undefined): void {
  for (const [key, value] of Object.entries(labels ?? {})) {
    if (!isQualifiedName(key)) {
      throw invalidProp(scope, `${field} key`, key, 'must be a qualified name: an optional DNS subdomain prefix and "/", then at most 63 characters of letters, digits, "-", "_" and "."');
    }
    if (!isLabelValue(value)) {
      throw invalidProp(scope, `${field}["${key}"]`, value, 'must be a label value: at most 63 characters of letters, digits, "-", "_" and ".", starting and ending with a letter or digit');
    }
  }
}

export function checkAnnotations(scope: IConstruct, field: string, annotations: Readonly<Record<string, string>> | undefined): void {
  for (const [key, value] of Object.entries(annotations ?? {})) {
    if (!isQualifiedName(key)) {
      throw invalidProp(scope, `${field} key`, key, 'must be a qualified name: an optional DNS subdomain prefix and "/", then at most 63 characters of letters, digits, "-", "_" and "."');
    }
    if (typeof value !== 'string') {
      throw invalidProp(scope, `${field}["${key}"]`, value, 'must be a string (quote numbers and booleans)');
    }
  }
}

/** One of a fixed set of values. */
export function checkOneOf<T extends string>(scope: IConstruct, field: string, value: T, allowed: readonly T[]): T {
  if (!allowed.includes(value)) {
    throw invalidProp(scope, field, value, `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
  }
  return value;
}

/** A repository path component of an image reference (the distribution/reference grammar). */
const IMAGE_PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const REGISTRY_HOST_LABEL = '[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?';
const REGISTRY_HOST = new RegExp(`^${REGISTRY_HOST_LABEL}(?:\\.${REGISTRY_HOST_LABEL})*(?::\\d+)?$`);
const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/**
 * An image pinned to a version: a digest, or a tag other than `latest`. Production stages use it
 * so that what runs is what was reviewed. The reference must also be well-formed, or the kubelet
 * fails to pull it (`InvalidImageName`).
 */
export function checkPinnedImage(scope: IConstruct, field: string, image: string): string {
  const at = image.indexOf('@');
  if (at >= 0 && !/^sha256:[a-f0-9]{64}$/.test(image.slice(at + 1))) {
    throw invalidProp(scope, field, image, 'has a malformed digest: use "@sha256:" followed by 64 hexadecimal digits');
  }
  const nameAndTag = at >= 0 ? image.slice(0, at) : image;
  const lastSegment = nameAndTag.slice(nameAndTag.lastIndexOf('/') + 1);
  const colon = lastSegment.indexOf(':');
  const tag = colon >= 0 ? lastSegment.slice(colon + 1) : undefined;
  if (at < 0 && (tag === undefined || tag === '' || tag === 'latest')) {
    throw invalidProp(scope, field, image, 'must be pinned: a tag other than "latest" (e.g. ":1.4.2") or a digest ("@sha256:…")');
  }
  const repository = tag === undefined ? nameAndTag : nameAndTag.slice(0, nameAndTag.length - tag.length - 1);
  if (!isImageRepository(repository)) {
    throw invalidProp(scope, field, image, 'must be an image reference: an optional registry host (with port) and "/", then "/"-separated lowercase path components of a-z and 0-9 joined by ".", "_", "__" or "-"');
  }
  if (tag !== undefined && !IMAGE_TAG.test(tag)) {
    throw invalidProp(scope, field, image, 'has a malformed tag: at most 128 characters of letters, digits, "_", "." and "-", not starting with "." or "-"');
  }
  return image;
}

/** `[host[:port]/]path[/path…]`; like Docker, the first component is a host only when it looks like one. */
function isImageRepository(repository: string): boolean {
  const components = repository.split('/');
  const first = components[0];
  const hasHost = components.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasHost && !REGISTRY_HOST.test(first)) return false;
  return components.slice(hasHost ? 1 : 0).every((component) => IMAGE_PATH_COMPONENT.test(component));
}

/** A quantity above zero, such as a volume size: `0` or `-1Gi` would be refused or meaningless. */
export function checkPositiveQuantity(scope: IConstruct, field: string, value: string, example: string): string {
  const amount = parseQuantity(value);
  if (amount === undefined || amount <= 0) {
    throw invalidProp(scope, field, value, `must be a Kubernetes quantity above zero, such as ${example}`);
  }
  return value;
}

/** A count (integer >= 0) or a percentage string (`"0%"` to `"100%"`). */
export function checkIntOrPercent<T extends number | string | undefined>(scope: IConstruct, field: string, value: T): T {
  if (value === undefined) return value;
  if (typeof value === 'number') return checkInteger(scope, field, value, 0) as T;
  const match = /^(\d{1,3})%$/.exec(value as string);
  if (!match || Number(match[1]) > 100) {
    throw invalidProp(scope, field, value, 'must be a non-negative integer or a percentage from "0%" to "100%"');
  }
  return value;
}

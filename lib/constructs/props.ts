import { IConstruct } from 'constructs';
import { envVarNameProblem, isDns1035Label, isDns1123Label, isDns1123Subdomain, labelKeyProblem, labelValueProblem, PORT_NAME_RULE, portNameProblem } from '../manifest/names';
import { parseQuantity } from '../manifest/quantity';
import { IMAGE_TAG_PATTERN, parseImageReference, unpinnedReason } from '../manifest/image-reference';
import { show } from '../validation/field-checks';

export { isDns1035Label, isDns1123Label, isDns1123Subdomain };

/**
 * Prop validation shared by every construct. Each check throws a {@link PropsError} that names the
 * construct path, the field, the bad value and what is allowed, before any object is created;
 * constructs run their checks through {@link checkAll}, so that every bad prop is reported at once.
 */

/** One bad prop: where, which field, the value given and what is allowed instead. */
export interface PropProblem {
  /** Path of the construct (or the caller, for static factories) the prop was given to. */
  readonly path: string;
  /** The prop, e.g. `port` or `resources.requests.cpu`. */
  readonly field: string;
  /** The value given. */
  readonly value: unknown;
  /** What would have been accepted, e.g. `must be an integer port from 1 to 65535`. */
  readonly allowed: string;
}

/**
 * The error every construct throws for bad props: all of them, one line each
 * (`shop/Api: invalid port 70000: must be an integer port from 1 to 65535`).
 */
export class PropsError extends Error {
  /** Path of the construct whose props were checked. */
  public readonly path: string;
  /** Every bad prop, in the order they were checked. */
  public readonly problems: readonly PropProblem[];

  constructor(path: string, problems: readonly PropProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'PropsError';
    this.path = path;
    this.problems = problems;
  }
}

function formatProblem(problem: PropProblem): string {
  return `${problem.path}: invalid ${problem.field} ${show(problem.value)}: ${problem.allowed}`;
}

/** The error every construct throws for a bad prop. */
export function invalidProp(scope: IConstruct, field: string, value: unknown, allowed: string): PropsError {
  return invalidValue(scope.node.path, field, value, allowed);
}

/** The same error for code without a construct scope (static factories): `where` names the caller. */
export function invalidValue(where: string, field: string, value: unknown, allowed: string): PropsError {
  return new PropsError(where, [{ path: where, field, value, allowed }]);
}

/**
 * Runs every check, each independent of the others, and throws one {@link PropsError} with the
 * problems of all that failed (a check may itself be a `checkAll`). Checks that depend on an
 * earlier one belong in the same function: the first failure ends it. Errors other than
 * PropsError are rethrown as they are.
 */
export function checkAll(scope: IConstruct, checks: Iterable<() => unknown>): void {
  const problems: PropProblem[] = [];
  for (const check of checks) {
    try {
      check();
    } catch (error) {
      if (!(error instanceof PropsError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length) throw new PropsError(scope.node.path, problems);
}

/**
 * Detaches a construct whose constructor failed from its parent and returns the error to rethrow,
 * so that a caught error leaves no half-built objects in the tree. Construct classes get this
 * from {@link detachOnError}; the function is for code that builds a construct some other way.
 */
export function removeHalfBuilt(construct: IConstruct, error: unknown): unknown {
  construct.node.scope?.node.tryRemoveChild(construct.node.id);
  return error;
}

/** A construct class: its constructor takes the scope and the id first, as every construct's does. */
export type ConstructClass = abstract new (scope: IConstruct, id: string, ...rest: any[]) => IConstruct;

/**
 * The class decorator of every construct in this library (`@detachOnError export class WebApp …`):
 * when `new C(scope, id, …)` throws, from its own constructor or a subclass's, the node it added
 * under `scope` is removed again before the error goes on, so that a caught error (a bad prop, a
 * second autoscaler) leaves no half-built objects in the tree. This is the one place of the
 * `try { … } catch (error) { throw removeHalfBuilt(this, error); }` each constructor would
 * otherwise repeat; a decorator rather than a base class because a base constructor cannot catch
 * what its subclass's constructor throws after `super()`. The class stays the same class (a proxy
 * of it that forwards everything but construction): same name, statics, prototype and `instanceof`;
 * only an instance's `constructor` is the class inside the proxy.
 */
export function detachOnError<C extends ConstructClass>(value: C, _context: ClassDecoratorContext<C>): C {
  const proxy: C = new Proxy(value, {
    construct(target, args: [IConstruct, string, ...unknown[]], newTarget) {
      const [scope, id] = args;
      // A node already there under `id` is another construct's: the constructor fails on the
      // duplicate id, and that node must stay.
      const existing = scope.node.tryFindChild(id);
      try {
        // `new C(…)` makes the proxy the new.target; constructing with the class itself gives the
        // same prototype, and lets V8 give every instance the class's one shape instead of a new
        // hidden class per instance (as for a new.target that is not a function).
        return Reflect.construct(target, args, newTarget === proxy ? target : newTarget);
      } catch (error) {
        const halfBuilt = existing === undefined ? scope.node.tryFindChild(id) : undefined;
        throw halfBuilt ? removeHalfBuilt(halfBuilt, error) : error;
      }
    },
  });
  return proxy;
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

/**
 * The checks of a workload's `extraPorts`, given all its ports with the main port first: each a
 * port and a port name, and no number or name twice.
 */
export function extraPortChecks(scope: IConstruct, ports: readonly { readonly name: string; readonly port: number }[]): (() => unknown)[] {
  return ports.slice(1).flatMap((extra, i) => [
    () => checkPort(scope, `extraPorts[${i}].port`, extra.port),
    () => checkPortName(scope, `extraPorts[${i}].name`, extra.name),
    () => {
      const before = ports.slice(0, i + 1);
      const same = before.find((p) => p.port === extra.port) ?? before.find((p) => p.name === extra.name);
      if (same) throw invalidProp(scope, `extraPorts[${i}]`, extra, `must differ in number and name from the container's other port ${same.name}=${same.port}`);
    },
  ]);
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

export const QUALIFIED_NAME_RULE = 'must be a qualified name: an optional DNS subdomain prefix and "/", then at most 63 characters of letters, digits, "-", "_" and "."';
export const LABEL_VALUE_RULE = 'must be a label value: at most 63 characters of letters, digits, "-", "_" and ".", starting and ending with a letter or digit';

/** A label key (also a node label key, a taint key, a topology key): a qualified name. */
export function checkLabelKey(scope: IConstruct, field: string, key: string): string {
  if (typeof key !== 'string' || !isQualifiedName(key)) throw invalidProp(scope, field, key, QUALIFIED_NAME_RULE);
  return key;
}

/** A label value (also a taint value, a selector requirement's value). */
export function checkLabelValue(scope: IConstruct, field: string, value: string): string {
  if (!isLabelValue(value)) throw invalidProp(scope, field, value, LABEL_VALUE_RULE);
  return value;
}

/** Every label key and value; each bad entry is its own problem. */
export function checkLabels(scope: IConstruct, field: string, labels: Readonly<Record<string, string>> | undefined): void {
  checkAll(scope, Object.entries(labels ?? {}).map(([key, value]) => () => {
    checkLabelKey(scope, `${field} key`, key);
    checkLabelValue(scope, `${field}["${key}"]`, value);
  }));
}

/** Every annotation key and value; each bad entry is its own problem. */
export function checkAnnotations(scope: IConstruct, field: string, annotations: Readonly<Record<string, string>> | undefined): void {
  checkAll(scope, Object.entries(annotations ?? {}).map(([key, value]) => () => {
    checkLabelKey(scope, `${field} key`, key);
    if (typeof value !== 'string') throw invalidProp(scope, `${field}["${key}"]`, value, 'must be a string (quote numbers and booleans)');
  }));
}

/** `true`, `false` or left out (plain JavaScript may pass anything). */
export function checkBoolean(scope: IConstruct, field: string, value: boolean | undefined): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') throw invalidProp(scope, field, value, 'must be true or false');
  return value;
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
const IMAGE_TAG = new RegExp(IMAGE_TAG_PATTERN);

/**
 * An image pinned to a version ({@link unpinnedReason}: a digest, or a tag other than `latest`). Production stages use it
 * so that what runs is what was reviewed. The reference must also be well-formed, or the kubelet
 * fails to pull it (`InvalidImageName`).
 */
export function checkPinnedImage(scope: IConstruct, field: string, image: string): string {
  const at = image.indexOf('@');
  if (at >= 0 && !/^sha256:[a-f0-9]{64}$/.test(image.slice(at + 1))) {
    throw invalidProp(scope, field, image, 'has a malformed digest: use "@sha256:" followed by 64 hexadecimal digits');
  }
  const unpinned = unpinnedReason(image);
  if (unpinned !== undefined) {
    throw invalidProp(scope, field, image, `must be pinned: it ${unpinned}; use a tag other than "latest" (e.g. ":1.4.2") or a digest ("@sha256:…")`);
  }
  const { tag } = parseImageReference(image);
  const nameAndTag = at >= 0 ? image.slice(0, at) : image;
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

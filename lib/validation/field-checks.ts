/**
 * The small vocabulary of the field rules: each finds what the API server's own validation of a
 * kind refuses (k8s.io/kubernetes pkg/apis/<group>/validation), reports it at the field's path with
 * the bad value and what is allowed, and says truthfully what the server does with it.
 */
import { finding, IndexedObject, Rule } from './rule';
import { Finding } from '../manifest/types';
import { isDns1123Subdomain, portNameProblem, PORT_NAME_RULE } from '../manifest/names';
import { isPercent } from '../manifest/int-or-percent';

/** A value as a message shows it: strings quoted, the rest as JSON. */
export function show(value: unknown): string {
  if (value === undefined) return '(missing)';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

/** Collects the findings of one rule about one object. */
export class FieldFindings {
  readonly findings: Finding[] = [];

  constructor(private readonly rule: Pick<Rule, 'id' | 'apiServer'>, private readonly target: IndexedObject) {}

  /** The API server refuses the object: `problem; the API server rejects it. fix` */
  reject(path: string, problem: string, fix: string): void {
    this.findings.push(finding(this.rule, this.target, path, `${problem}; the API server rejects it. ${fix}`, { severity: 'error', apiServer: 'rejects' }));
  }

  /** The API server stores the object, but it misbehaves at run time. */
  warn(path: string, problem: string, consequence: string, fix: string): void {
    this.findings.push(finding(this.rule, this.target, path, `${problem}; the API server accepts it, but ${consequence}. ${fix}`, { severity: 'warning', apiServer: 'accepts' }));
  }

  /** A string enum: absent is fine (the server defaults it), any other value must be one of `allowed`. */
  oneOf(path: string, value: unknown, allowed: readonly string[]): void {
    if (value === undefined || (typeof value === 'string' && allowed.includes(value))) return;
    this.reject(path, `${path} is ${show(value)}, which is not one of ${allowed.join(', ')}`, `Use one of them${closeMatchHint(value, allowed)}.`);
  }

  /** An integer field with a lower (and optional upper) bound; absent or mistyped values are left to the schema check. */
  inRange(path: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): void {
    if (!isInteger(value) || (value >= min && value <= max)) return;
    const allowed = max === Number.MAX_SAFE_INTEGER ? `must be ${min === 0 ? '0 or more' : `at least ${min}`}` : `must be from ${min} to ${max}`;
    this.reject(path, `${path} is ${value}, but it ${allowed}`, `Set it ${max === Number.MAX_SAFE_INTEGER ? `to ${min} or more` : `between ${min} and ${max}`}.`);
  }

  /**
   * A name of another object that the API server checks as a DNS-1123 subdomain (an empty or absent
   * one is left to other checks). `prefix`: a trailing "-" is allowed, as in NameIsDNSSubdomain's
   * prefix mode, which masks it before checking.
   */
  subdomainName(path: string, value: unknown, what: string, prefix = false): void {
    if (typeof value !== 'string' || value === '') return;
    const checked = prefix && value.length > 1 && value.endsWith('-') ? `${value.slice(0, -2)}a` : value;
    if (isDns1123Subdomain(checked)) return;
    this.reject(path, `${path} ${show(value)} is not a DNS-1123 subdomain (lowercase letters, digits, "-" and ".", at most 253 characters), as ${what} must be`,
      /[$<{]/.test(value) ? 'Substitute the placeholder before applying.' : 'Use the name of an existing object.');
  }

  /** A port given as a number (1–65535) or a port name (IANA_SVC_NAME). */
  portNumberOrName(path: string, value: unknown): void {
    if (isInteger(value)) {
      this.inRange(path, value, 1, 65535);
    } else if (typeof value === 'string') {
      const problem = portNameProblem(value);
      if (problem) this.reject(path, `${path} is the port name ${show(value)}, but ${problem}: a port name must be ${PORT_NAME_RULE}`, 'Use a shorter valid name (and the same name on the container port) or the port number.');
    }
  }
}

/** ` (did you mean "Always"?)` when the value is a letter or two away from an allowed one. */
function closeMatchHint(value: unknown, allowed: readonly string[]): string {
  if (typeof value !== 'string') return '';
  const lower = value.toLowerCase();
  const match = allowed.find((candidate) => candidate.toLowerCase() === lower)
    ?? allowed.find((candidate) => lower.startsWith(candidate.toLowerCase()) || candidate.toLowerCase().startsWith(lower));
  return match ? ` (did you mean "${match}"?)` : '';
}

/** Checks what Kubernetes checks of every int-or-percent pod count: a count ≥ 0, or digits and "%". Returns the count or percentage, or `undefined` when invalid. */
export function intOrPercentValue(checks: FieldFindings, path: string, value: unknown): { value: number; percent: boolean } | undefined {
  if (value === undefined) return undefined;
  if (isInteger(value)) {
    if (value < 0) {
      checks.reject(path, `${path} is ${value}, but a pod count must be 0 or more`, 'Use a count ≥ 0 or a percentage such as "25%".');
      return undefined;
    }
    return { value, percent: false };
  }
  if (typeof value === 'string') {
    if (!isPercent(value)) {
      checks.reject(path, `${path} is ${show(value)}, which is neither an integer nor a percentage (digits followed by "%")`, 'Write a number without quotes, or a percentage such as "25%".');
      return undefined;
    }
    return { value: Number(value.slice(0, -1)), percent: true };
  }
  return undefined;
}

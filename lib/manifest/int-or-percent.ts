/**
 * Kubernetes int-or-string fields that count pods (`maxUnavailable`, `maxSurge`, `minAvailable`):
 * a count, or a percentage string. Shared by the constructs and the validation rules.
 */

/**
 * Whether an int-or-percent value means zero pods: `0`, and any string of zeros with or without
 * `%` (`"0%"`, `"00%"`, `"0"`), which Kubernetes reads as zero just the same.
 */
export function isZeroIntOrPercent(value: unknown): boolean {
  if (typeof value === 'number') return value === 0;
  return typeof value === 'string' && ZERO_PODS.test(value);
}

const ZERO_PODS = /^0+%?$/;

/** A string percentage as int-or-percent fields take it: digits and a trailing "%" (`"25%"`, not `"25"` or `"2.5%"`). */
export function isPercent(value: string): boolean {
  return PERCENT.test(value);
}

const PERCENT = /^[0-9]+%$/;

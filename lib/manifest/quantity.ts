/**
 * Kubernetes resource quantities (`500m`, `1.5Gi`, `1e3`), following the grammar of
 * k8s.io/apimachinery/pkg/api/resource: a signed decimal number and one optional suffix.
 */

const SUFFIX_MULTIPLIERS: Readonly<Record<string, number>> = {
  'n': 1e-9, 'u': 1e-6, 'm': 1e-3, '': 1,
  'k': 1e3, 'M': 1e6, 'G': 1e9, 'T': 1e12, 'P': 1e15, 'E': 1e18,
  'Ki': 2 ** 10, 'Mi': 2 ** 20, 'Gi': 2 ** 30, 'Ti': 2 ** 40, 'Pi': 2 ** 50, 'Ei': 2 ** 60,
};

// The exponent alternative comes before the single-letter `E` (exa) so that `1E3` is 1000.
const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?\d+|[numkMGTPE])?$/;

const EXPONENT = /^[eE][+-]?\d+$/;

/** The value of a quantity in base units (cores, bytes), or `undefined` when it is not a valid quantity. */
export function parseQuantity(quantity: string | number): number | undefined {
  if (typeof quantity === 'number') return Number.isFinite(quantity) ? quantity : undefined;
  if (typeof quantity !== 'string') return undefined;
  // The same few quantities ("250m", "128Mi") recur on every container: each is parsed once.
  if (parsedQuantities.has(quantity)) return parsedQuantities.get(quantity);
  const value = parseQuantityText(quantity);
  if (parsedQuantities.size >= MAX_PARSED_QUANTITIES) parsedQuantities.clear();
  parsedQuantities.set(quantity, value);
  return value;
}

const parsedQuantities = new Map<string, number | undefined>();
const MAX_PARSED_QUANTITIES = 1024;

function parseQuantityText(quantity: string): number | undefined {
  const match = QUANTITY.exec(quantity);
  if (!match) return undefined;
  const [, number, suffix = ''] = match;
  const multiplier = EXPONENT.test(suffix) ? 10 ** Number(suffix.slice(1)) : SUFFIX_MULTIPLIERS[suffix];
  const value = Number(number) * multiplier;
  return Number.isFinite(value) ? value : undefined;
}

export function isQuantity(quantity: string | number): boolean {
  return parseQuantity(quantity) !== undefined;
}

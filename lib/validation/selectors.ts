/** Label selector semantics, as the API server and controllers apply them. */
import { asArray, asRecord, Json } from '../manifest/objects';
import { IndexedPodTemplate } from './rule';

type Labels = Readonly<Record<string, unknown>>;

/** Selector matching is the toolkit's; re-exported for the rules that import it from here. */
export { matchesLabelMap, matchesLabelSelector } from '../manifest/objects';

/** The operators of `matchExpressions`. */
export const SELECTOR_OPERATORS: readonly string[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** Whether every expression uses an operator the API server knows (otherwise it refuses the selector, so what it would match is moot). */
export function hasKnownOperators(selector: Json): boolean {
  return asArray(selector.matchExpressions).every((expression) => SELECTOR_OPERATORS.includes(String(asRecord(expression)?.operator)));
}

export function isEmptySelector(selector: Json): boolean {
  return Object.keys(asRecord(selector.matchLabels) ?? {}).length === 0 && asArray(selector.matchExpressions).length === 0;
}

export function describeLabelMap(labels: Labels): string {
  const entries = Object.entries(labels);
  return entries.length === 0 ? '{}' : entries.map(([key, value]) => `${key}=${String(value)}`).join(',');
}

export function describeLabelSelector(selector: Json): string {
  const parts = [describeLabelMap(asRecord(selector.matchLabels) ?? {})].filter((part) => part !== '{}');
  for (const expression of asArray(selector.matchExpressions)) {
    const record = asRecord(expression) ?? {};
    const values = asArray(record.values);
    parts.push(`${String(record.key)} ${String(record.operator)}${values.length ? ` (${values.join(',')})` : ''}`);
  }
  return parts.length ? parts.join(',') : '{}';
}

/** `Deployment web (app=web,tier=front)`, for messages that list candidate pods. */
export function describeTemplates(templates: readonly IndexedPodTemplate[], limit = 3): string {
  if (templates.length === 0) return 'none';
  const shown = templates.slice(0, limit).map((t) => `${t.owner.kind} ${t.owner.name} (${describeLabelMap(t.labels)})`);
  return templates.length > limit ? `${shown.join('; ')}; and ${templates.length - limit} more` : shown.join('; ');
}

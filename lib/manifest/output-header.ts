import { ExternalObject } from './types';

/** `Secret/db-password` or `Secret/prod/db-password`, as `--external` and output headers spell an external object. */
export function parseExternalObject(spec: string): ExternalObject {
  const parts = spec.split('/');
  if (parts.length === 2 && parts.every(Boolean)) return { kind: parts[0], name: parts[1] };
  if (parts.length === 3 && parts.every(Boolean)) return { kind: parts[0], namespace: parts[1], name: parts[2] };
  throw new Error(`${spec}: expected Kind/name or Kind/namespace/name`);
}

export function formatExternalObject(object: ExternalObject): string {
  return [object.kind, ...(object.namespace ? [object.namespace] : []), object.name].join('/');
}

/** The first line of a synthesized output folder's first file: validation treats that folder as one app. */
export const OUTPUT_MARKER = '# habr-k8s output';
const EXTERNAL_LINE = '# habr-k8s external: ';

/**
 * The YAML comment that opens the first file of a synthesized output: the marker, and one line per
 * object declared external, so `habr-k8s validate <folder>` knows them without `--external`.
 * kubectl ignores comments.
 */
export function outputHeader(externalObjects: readonly ExternalObject[]): string {
  return [
    `${OUTPUT_MARKER}: one app's manifests in apply order; \`npx habr-k8s validate <this folder>\` checks them as a whole`,
    ...externalObjects.map((object) => `${EXTERNAL_LINE}${formatExternalObject(object)}`),
  ].map((line) => `${line}\n`).join('');
}

/** What the leading comment lines of a manifest file declare: whether it opens an output, and its external objects. */
export function readOutputHeader(text: string): { readonly output: boolean; readonly externalObjects: ExternalObject[] } {
  const externalObjects: ExternalObject[] = [];
  let output = false;
  for (let start = 0; text.startsWith('#', start);) {
    const end = text.indexOf('\n', start);
    const line = text.slice(start, end < 0 ? text.length : end).trimEnd();
    if (start === 0 && line.startsWith(OUTPUT_MARKER)) output = true;
    else if (line.startsWith(EXTERNAL_LINE)) externalObjects.push(parseExternalObject(line.slice(EXTERNAL_LINE.length).trim()));
    if (end < 0) break;
    start = end + 1;
  }
  return { output, externalObjects };
}

import { asRecord, field, joinPath } from '../../manifest/objects';
import { findingsOf, IndexedObject, NO_FINDINGS, ObjectIndex, Rule } from '../rule';
import { Finding } from '../../manifest/types';
import { labelKeyProblem } from '../../manifest/names';
import { FieldFindings, show } from '../field-checks';

/** The most all annotations of one object may hold together: keys plus values, in bytes. */
export const MAX_ANNOTATION_BYTES = 256 * 1024;

function checkAnnotations(checks: FieldFindings, annotations: unknown, path: string): void {
  const record = asRecord(annotations);
  if (!record) return;
  let size = 0;
  for (const [key, value] of Object.entries(record)) {
    // Annotation keys follow the label key grammar, except that upper case is allowed in the prefix.
    const problem = labelKeyProblem(key.toLowerCase());
    if (problem) checks.reject(joinPath(path, key), `annotation key ${show(key)} at ${path} is invalid: ${problem}`, 'Fix the key.');
    size += Buffer.byteLength(key) + (typeof value === 'string' ? Buffer.byteLength(value) : 0);
  }
  if (size > MAX_ANNOTATION_BYTES) {
    checks.reject(path, `the annotations at ${path} total ${size} bytes (keys and values), more than the ${MAX_ANNOTATION_BYTES} bytes (256 KiB) an object may carry`, 'Move large content into a ConfigMap.');
  }
}

/** Where the pod template of a kind keeps its annotations, next to its labels: worked out once per labels path. */
const templateAnnotationPlaces = new Map<string, { readonly path: string; readonly keys: readonly string[] }>();

function templateAnnotationsPlace(labelsPath: string): { readonly path: string; readonly keys: readonly string[] } {
  let place = templateAnnotationPlaces.get(labelsPath);
  if (!place) {
    const path = labelsPath.replace(/\.labels$/, '.annotations');
    templateAnnotationPlaces.set(labelsPath, (place = { path, keys: path.split('.') }));
  }
  return place;
}

function checkObject(index: ObjectIndex, object: IndexedObject): readonly Finding[] {
  const own = object.object.metadata?.annotations;
  const template = index.podTemplateOf(object);
  const place = template && template.labelsPath !== 'metadata.labels' ? templateAnnotationsPlace(template.labelsPath) : undefined;
  const ofTemplate = place && field(object.object, ...place.keys);
  if (!asRecord(own) && !asRecord(ofTemplate)) return NO_FINDINGS;
  const checks = new FieldFindings(annotations, object);
  checkAnnotations(checks, own, 'metadata.annotations');
  if (place) checkAnnotations(checks, ofTemplate, place.path);
  return checks.findings;
}

export const annotations: Rule = {
  id: 'annotations',
  summary: 'Annotation keys (on objects and pod templates) are qualified names, and one object\'s annotations total at most 256 KiB.',
  breaks: 'kubectl apply fails: the API server validates every object\'s metadata.',
  apiServer: 'rejects',
  check: (index: ObjectIndex) => findingsOf(index.objects, (object) => checkObject(index, object)),
};

/**
 * More text files an app writes with its manifests, registered on the App. A module of its own, so
 * that an entry registering them does not load synthesis and validation (habr-k8s synth has them).
 */
import { IConstruct } from 'constructs';
import type { OutputDocument } from '../output/write';

const OUTPUT_DOCUMENTS_METADATA = 'habr-k8s:output-documents';

/**
 * Registers more text files (a diagram, a README section) that `habr-k8s synth` writes in the same
 * commit as the app's manifests, made from the validated app (`synthesize()` passes its
 * `RenderedApp`); paths are relative to the project folder (that of cdk8s.yaml, where the entry
 * runs). Plain `cdk8s synth` ignores them. Recorded as metadata on the App, like
 * `declareExternalObject()`, so the registration travels with the construct tree even across
 * separately bundled copies of this module.
 */
export function addOutputDocuments<Rendered>(scope: IConstruct, documents: (rendered: Rendered) => readonly OutputDocument[]): void {
  scope.node.root.node.addMetadata(OUTPUT_DOCUMENTS_METADATA, documents);
}

/** Every document maker registered with {@link addOutputDocuments} in the App that `scope` belongs to, in registration order, as one. */
export function outputDocumentsOf<Rendered>(scope: IConstruct): (rendered: Rendered) => OutputDocument[] {
  const makers = scope.node.root.node.metadata
    .filter((entry) => entry.type === OUTPUT_DOCUMENTS_METADATA)
    .map((entry) => entry.data as (rendered: Rendered) => readonly OutputDocument[]);
  return (rendered) => makers.flatMap((make) => make(rendered));
}

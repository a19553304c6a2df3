import { IConstruct } from 'constructs';
import { OutputDocument } from '../output/write';
import type { RenderedApp } from './synthesize';

const METADATA_TYPE = 'habr-k8s:output-documents';

/** Makes the documents an app writes beside its manifests, from the validated app. */
export type OutputDocuments = (rendered: RenderedApp) => readonly OutputDocument[];

/**
 * Registers more text files (a diagram, a README section) that `habr-k8s synth` writes in the same
 * commit as the app's manifests; paths are relative to the folder synth runs in. Plain `cdk8s
 * synth` ignores them. Recorded as metadata on the App, like `declareExternalObject()`, so the
 * registration travels with the construct tree even across separately bundled copies of this module.
 */
export function addOutputDocuments(scope: IConstruct, documents: OutputDocuments): void {
  scope.node.root.node.addMetadata(METADATA_TYPE, documents);
}

/** Every document registered with {@link addOutputDocuments} in the App that `scope` belongs to, in registration order. */
export function outputDocumentsOf(scope: IConstruct): OutputDocuments {
  const makers = scope.node.root.node.metadata.filter((entry) => entry.type === METADATA_TYPE).map((entry) => entry.data as OutputDocuments);
  return (rendered) => makers.flatMap((make) => make(rendered));
}

import { IConstruct } from 'constructs';
import { ExternalObject } from './validation/types';

const METADATA_TYPE = 'habr-k8s:external-object';

/**
 * Declares an object the manifests reference but that is created outside them (a Secret made
 * with `kubectl create secret`, a certificate issued by cert-manager). Whole-app validation then
 * accepts references to it. Recorded as metadata on the App, so the declaration travels with the
 * construct tree (even across separately bundled copies of this module).
 */
export function declareExternalObject(scope: IConstruct, object: ExternalObject): void {
  scope.node.root.node.addMetadata(METADATA_TYPE, { ...object });
}

/** Everything declared external in the App that `scope` belongs to, in declaration order. */
export function externalObjectsOf(scope: IConstruct): readonly ExternalObject[] {
  return scope.node.root.node.metadata.filter((entry) => entry.type === METADATA_TYPE).map((entry) => entry.data as ExternalObject);
}

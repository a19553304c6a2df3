import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { isClusterScoped } from '../manifest/objects';
import { ExternalObject } from '../manifest/types';

const METADATA_TYPE = 'habr-k8s:external-object';

/**
 * Declares an object the manifests reference but that is created outside them (a Secret made
 * with `kubectl create secret`, a certificate issued by cert-manager). Whole-app validation then
 * accepts references to it. Recorded as metadata on the App, so the declaration travels with the
 * construct tree (even across separately bundled copies of this module).
 *
 * Without `namespace`, a namespaced object is in the namespace of the chart `scope` is in (the
 * one the chart's own objects reference it from), or in `default` when `scope` is in no chart or
 * the chart has no namespace.
 */
export function declareExternalObject(scope: IConstruct, object: ExternalObject): void {
  const namespace = object.namespace ?? (isClusterScoped(object.kind) ? undefined : enclosingChart(scope)?.namespace);
  scope.node.root.node.addMetadata(METADATA_TYPE, namespace === undefined ? { ...object } : { ...object, namespace });
}

/** The closest chart at or above `scope` (`Chart.of` throws without one). */
function enclosingChart(scope: IConstruct): Chart | undefined {
  return scope.node.scopes.reverse().find((c): c is Chart => Chart.isChart(c));
}

/** Everything declared external in the App that `scope` belongs to, in declaration order. */
export function externalObjectsOf(scope: IConstruct): readonly ExternalObject[] {
  return scope.node.root.node.metadata.filter((entry) => entry.type === METADATA_TYPE).map((entry) => entry.data as ExternalObject);
}

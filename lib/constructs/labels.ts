import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { parseImageReference } from '../manifest/images';
import { labelValueProblem } from '../manifest/names';
import { invalidProp } from './props';
import { mergedRecord } from './records';

/** The label every construct selects its pods by: short, stable, and independent of the construct tree. */
export const NAME_LABEL = 'app.kubernetes.io/name';
/** The installation of the application: the chart's label, or `part-of`. */
export const INSTANCE_LABEL = 'app.kubernetes.io/instance';
/** The application the objects belong to: the chart's label, or the chart's id. */
export const PART_OF_LABEL = 'app.kubernetes.io/part-of';
/** The tool that writes the objects: `habr-k8s`. */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
/** The version the pods run: the tag of their image. */
export const VERSION_LABEL = 'app.kubernetes.io/version';
/** The role of the workload in the application, e.g. `database`. */
export const COMPONENT_LABEL = 'app.kubernetes.io/component';

/** The value of {@link MANAGED_BY_LABEL}. */
export const MANAGED_BY = 'habr-k8s';

/**
 * The labels the constructs put on every object of `scope`'s chart: `part-of`, `instance` and
 * `managed-by`. A chart sets them with its own `labels` (which cdk8s puts on every object's
 * metadata, and the constructs also on pod templates); without them,
 * `part-of` is the chart's id, `instance` is `part-of` (one installation of the app per namespace)
 * and `managed-by` is `habr-k8s`.
 */
export function chartLabels(scope: IConstruct): Record<string, string> {
  const chart = Chart.of(scope);
  const given = chart.labels;
  const partOf = given[PART_OF_LABEL] ?? chart.node.id;
  const problem = given[PART_OF_LABEL] === undefined ? labelValueProblem(partOf) : undefined;
  if (problem !== undefined) {
    throw invalidProp(chart, `labels["${PART_OF_LABEL}"]`, partOf, `must name the application in the chart's labels: it defaults to the chart's id, which is no label value (${problem})`);
  }
  return {
    [PART_OF_LABEL]: partOf,
    [INSTANCE_LABEL]: given[INSTANCE_LABEL] ?? partOf,
    [MANAGED_BY_LABEL]: given[MANAGED_BY_LABEL] ?? MANAGED_BY,
  };
}

/**
 * The version label of pods running `image`: its tag, when it is a label value (`latest` too: it
 * is what the pods run, and a Helm chart whose tag is a value cannot leave the label out for one
 * value only); none for an untagged or digest-only reference.
 */
export function imageVersionLabels(image: string | undefined): Record<string, string> {
  if (image === undefined) return {};
  const tag = parseImageReference(image).tag;
  if (tag === undefined || labelValueProblem(tag) !== undefined) return {};
  return { [VERSION_LABEL]: tag };
}

/**
 * The labels of a workload's objects and pods: the chart's ({@link chartLabels}), `extra` (the
 * version, a preset's component), the `labels` prop over them, and the selector labels last.
 */
export function recommendedLabels(
  scope: IConstruct, extra: Readonly<Record<string, string>>, given: Readonly<Record<string, string>> | undefined, selector: Readonly<Record<string, string>>,
): Record<string, string> {
  return mergedRecord(mergedRecord(mergedRecord(chartLabels(scope), extra), given), selector);
}

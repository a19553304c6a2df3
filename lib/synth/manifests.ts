import { App, Chart } from 'cdk8s';
import { KubeObject, SourcedObject } from '../validation/types';

/** The objects of one chart and the file they are written to. */
export interface ChartManifest {
  readonly chart: Chart;
  /** File name inside the output folder, numbered so that lexical order is apply order. */
  readonly file: string;
  readonly objects: readonly KubeObject[];
}

/**
 * The charts of an app in `kubectl apply -f` order: every chart after the charts it depends on,
 * otherwise in the order they were added.
 */
export function chartsInApplyOrder(app: App): Chart[] {
  const charts = app.node.children.filter((c): c is Chart => Chart.isChart(c));
  const ordered: Chart[] = [];
  const state = new Map<Chart, 'visiting' | 'done'>();
  const visit = (chart: Chart, path: readonly string[]) => {
    if (state.get(chart) === 'done') return;
    if (state.get(chart) === 'visiting') {
      throw new Error(`chart dependencies form a cycle: ${[...path, chart.node.id].join(' -> ')}`);
    }
    state.set(chart, 'visiting');
    for (const dependency of chart.node.dependencies) {
      if (Chart.isChart(dependency)) visit(dependency, [...path, chart.node.id]);
    }
    state.set(chart, 'done');
    ordered.push(chart);
  };
  for (const chart of charts) visit(chart, []);
  return ordered;
}

/**
 * Every chart's plain objects, in apply order, with their file names. Runs the constructs'
 * own validations first, so an invalid tree produces no objects at all.
 */
export function appManifests(app: App): ChartManifest[] {
  const errors = app.node.findAll().flatMap((c) => c.node.validate().map((message) => `${c.node.path}: ${message}`));
  if (errors.length) throw new Error(`validation failed:\n${errors.join('\n')}`);
  const charts = chartsInApplyOrder(app);
  const width = Math.max(2, String(charts.length - 1).length);
  return charts.map((chart, index) => ({
    chart,
    file: `${String(index).padStart(width, '0')}-${chart.node.id}.yaml`,
    objects: chart.toJson() as KubeObject[],
  }));
}

/** The objects of all charts, each with its file and its position in apply order. */
export function sourcedObjects(manifests: readonly ChartManifest[]): SourcedObject[] {
  let order = 0;
  return manifests.flatMap((m) => m.objects.map((object) => ({ object, source: m.file, order: order++ })));
}

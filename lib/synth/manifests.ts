import { ApiObject, App, Chart, DependencyGraph } from 'cdk8s';
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
 * Every chart's plain objects, in apply order, with their file names.
 *
 * cdk8s' `Chart.toJson()` prepares and validates the whole app on every call, which makes
 * synthesizing N charts cost O(N²). The first chart goes through it once, so the app's implicit
 * dependencies are resolved and every construct is validated (an invalid tree throws before any
 * object exists); the others are then read in the same dependency order without repeating it.
 */
export function appManifests(app: App): ChartManifest[] {
  const charts = chartsInApplyOrder(app);
  const width = Math.max(2, String(charts.length - 1).length);
  return charts.map((chart, index) => ({
    chart,
    file: `${String(index).padStart(width, '0')}-${chart.node.id}.yaml`,
    objects: (index === 0 ? chart.toJson() : chartObjects(chart)) as KubeObject[],
  }));
}

/**
 * What `Chart.toJson()` returns, once the app has been prepared: the chart's own objects in
 * dependency order. Without dependencies that order is the construct tree's, so the graph is
 * only built when some construct of the chart declares one.
 */
function chartObjects(chart: Chart): unknown[] {
  const constructs = chart.node.findAll();
  const ordered = constructs.some((c) => c.node.dependencies.length > 0) ? new DependencyGraph(chart.node).topology() : constructs;
  return ordered
    .filter((c): c is ApiObject => c instanceof ApiObject && Chart.of(c) === chart)
    .map((o) => o.toJson());
}

/** The objects of all charts, each with its file and its position in apply order. */
export function sourcedObjects(manifests: readonly ChartManifest[]): SourcedObject[] {
  let order = 0;
  return manifests.flatMap((m) => m.objects.map((object) => ({ object, source: m.file, order: order++ })));
}

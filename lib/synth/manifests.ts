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
 * The charts of an app in `kubectl apply -f` order, the order cdk8s' own `app.synth()` writes
 * them in: every chart after the charts it depends on, otherwise in the order they were added.
 *
 * A chart depends on the charts it was told to (`chart.addDependency`), on its nested charts, and
 * on every chart holding a construct that one of its constructs depends on
 * (`objA.node.addDependency(objB)`). cdk8s only turns those implicit dependencies into chart
 * dependencies when it prepares the app, so they are resolved here first, the same way (adding an
 * existing dependency again changes nothing).
 */
export function chartsInApplyOrder(app: App): Chart[] {
  resolveChartDependencies(app);
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
  };
  const charts = app.node.findAll().filter((c): c is Chart => Chart.isChart(c));
  for (const chart of charts) visit(chart, []);
  // The cycle check above names the charts; the order is the one of cdk8s' `App.charts`.
  return new DependencyGraph(app.node).topology().filter((c): c is Chart => Chart.isChart(c));
}

/** The chart-level part of what cdk8s does before synthesizing (`resolveDependencies` in its app.js). */
function resolveChartDependencies(app: App): void {
  const constructs = app.node.findAll();
  for (const parent of constructs) {
    if (!Chart.isChart(parent)) continue;
    for (const child of parent.node.children) if (Chart.isChart(child)) parent.node.addDependency(child);
  }
  for (const source of constructs) {
    for (const target of source.node.dependencies) {
      const sourceChart = Chart.of(source);
      const targetChart = Chart.of(target);
      if (sourceChart !== targetChart) sourceChart.node.addDependency(targetChart);
    }
  }
}

/**
 * Every chart's plain objects, in apply order, with their file names.
 *
 * cdk8s' `Chart.toJson()` prepares and validates the whole app on every call, which makes
 * synthesizing N charts cost O(N²). The first chart added goes through it once, before the charts
 * are ordered, so the app's implicit dependencies are resolved and every construct is validated
 * (an invalid tree throws before any object exists); the others are then read in the same
 * dependency order without repeating it.
 */
export function appManifests(app: App): ChartManifest[] {
  // The app is prepared before it is ordered: the order depends on the dependencies it resolves.
  const prepared = app.node.children.find((c): c is Chart => Chart.isChart(c));
  const preparedObjects = prepared?.toJson();
  const charts = chartsInApplyOrder(app);
  const width = Math.max(2, String(charts.length - 1).length);
  return charts.map((chart, index) => ({
    chart,
    file: `${String(index).padStart(width, '0')}-${chart.node.id}.yaml`,
    objects: (chart === prepared ? preparedObjects! : chartObjects(chart)) as KubeObject[],
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

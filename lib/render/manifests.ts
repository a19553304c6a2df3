import { ApiObject, App, Chart, DependencyGraph, DependencyVertex } from 'cdk8s';
import { IConstruct } from 'constructs';
import { KubeObject, SourcedObject } from '../manifest/types';

/** The objects of one chart and the file they are written to. @inline */
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
  const constructs = app.node.findAll();
  resolveChartDependencies(constructs);
  return chartOrder(treeOf(constructs));
}

/** An app's constructs in tree order (each after its scope), and what each depends on. */
interface ConstructTree {
  readonly constructs: readonly IConstruct[];
  /** `constructs[i].node.dependencies`, read once. */
  readonly dependencies: readonly (readonly IConstruct[])[];
}

function treeOf(constructs: readonly IConstruct[]): ConstructTree {
  return { constructs, dependencies: constructs.map((c) => c.node.dependencies) };
}

/** The charts of a tree (whose chart dependencies are resolved) in apply order. */
function chartOrder(tree: ConstructTree): Chart[] {
  const { constructs } = tree;
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
  const charts = constructs.filter((c): c is Chart => Chart.isChart(c));
  for (const chart of charts) visit(chart, []);
  // The cycle check above names the charts; the order is the one of cdk8s' `App.charts`.
  return dependencyOrder(tree, (c) => Chart.isChart(c)) as Chart[];
}

/** The chart-level part of what cdk8s does before synthesizing (`resolveDependencies` in its app.js). */
function resolveChartDependencies(constructs: readonly IConstruct[]): void {
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
 * `new DependencyGraph(root.node).topology()` of the tree's root, keeping the constructs `keep`
 * selects. That graph has a vertex per construct; one that neither depends on anything nor is
 * depended on is a root of its own, which places no other vertex. So only the kept constructs and those on a dependency get a vertex here, built with
 * cdk8s' own `DependencyVertex` (same edges in the same order, same roots in the same order, same
 * cycle error): the order of the kept ones is the same, without a vertex per construct of the app.
 */
function dependencyOrder(tree: ConstructTree, keep: (construct: IConstruct) => boolean): IConstruct[] {
  const { constructs, dependencies } = tree;
  const inTree = new Set(constructs);
  const edges: Array<readonly [IConstruct, IConstruct]> = [];
  constructs.forEach((source, i) => {
    for (const target of dependencies[i]) if (inTree.has(target)) edges.push([source, target]);
  });
  const onEdge = new Set(edges.flat());
  const vertices = new Map<IConstruct, DependencyVertex>();
  // Keyed by path as cdk8s does: the roots follow the key order of such an object.
  const byPath: Record<string, DependencyVertex> = {};
  for (const construct of constructs) {
    if (!keep(construct) && !onEdge.has(construct)) continue;
    const vertex = new DependencyVertex(construct);
    vertices.set(construct, vertex);
    byPath[construct.node.path] = vertex;
  }
  for (const [source, target] of edges) vertices.get(source)!.addChild(vertices.get(target)!);
  const root = new DependencyVertex();
  for (const vertex of Object.values(byPath)) if (vertex.inbound.length === 0) root.addChild(vertex);
  return root.topology().filter(keep);
}

/**
 * Every chart's plain objects, in apply order, with their file names.
 *
 * cdk8s' `Chart.toJson()` prepares and validates the whole app on every call, which makes
 * synthesizing N charts cost O(N²). The app is prepared here once, as cdk8s prepares it (see
 * `prepareApp` below), so its implicit dependencies are resolved and every construct is validated
 * (an invalid tree throws before any object exists); the charts are then read in dependency
 * order, from one walk of the construct tree.
 */
export function appManifests(app: App): ChartManifest[] {
  // The app is prepared before it is ordered: the order depends on the dependencies it resolves.
  const tree = prepareApp(app.node.findAll());
  const charts = chartOrder(tree);
  const members = chartMembers(tree);
  const width = Math.max(2, String(charts.length - 1).length);
  return charts.map((chart, index) => ({
    chart,
    file: `${String(index).padStart(width, '0')}-${chart.node.id}.yaml`,
    objects: chartObjects(chart, members.get(chart)!) as KubeObject[],
  }));
}

/**
 * What cdk8s does to an app before it synthesizes a chart (`resolveDependencies`, then `validate`,
 * in its app.js), reading each construct's dependencies once: the chart dependencies of
 * {@link resolveChartDependencies}; then for every dependency, chart dependencies included, the
 * API objects under its source (of the source's closest chart) depend on those under its target
 * (of the target's); then every construct's own validations, all failures in one error.
 * `test/synth/manifests.test.ts` holds the result to cdk8s' own `Chart.toJson()`.
 */
function prepareApp(constructs: readonly IConstruct[]): ConstructTree {
  resolveChartDependencies(constructs);
  // Only charts gained dependencies so far; the objects below gain them now, and are read again after.
  const dependencies = constructs.map((c) => c.node.dependencies);
  const changed = new Set<IConstruct>();
  constructs.forEach((source, i) => {
    if (dependencies[i].length === 0) return;
    const sourceObjects = ownApiObjects(source);
    for (const target of dependencies[i]) {
      const targetObjects = ownApiObjects(target);
      for (const object of sourceObjects) {
        for (const targetObject of targetObjects) {
          if (targetObject === object) continue;
          object.node.addDependency(targetObject);
          changed.add(object);
        }
      }
    }
  });
  const errors = constructs.flatMap((c) => c.node.validate().map((error) => `[${c.node.path}] ${error}`));
  if (errors.length > 0) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
  return { constructs, dependencies: constructs.map((c, i) => (changed.has(c) ? c.node.dependencies : dependencies[i])) };
}

/** The API objects in a construct's subtree whose closest chart is the construct's. */
function ownApiObjects(construct: IConstruct): ApiObject[] {
  return construct.node.findAll().filter(isObjectOf(Chart.of(construct)));
}

/** Whether a construct is an API object whose closest chart is `chart` (a chart renders only those). */
function isObjectOf(chart: Chart): (construct: IConstruct) => construct is ApiObject {
  return (construct): construct is ApiObject => construct instanceof ApiObject && Chart.of(construct) === chart;
}

/** What {@link chartObjects} needs of a chart, from one walk of the tree. */
interface ChartMembers {
  /** The API objects whose closest chart it is, in tree order. */
  readonly objects: ApiObject[];
  /** Whether a construct of its subtree (nested charts included, and itself) has a dependency. */
  hasDependencies: boolean;
}

/** Every chart's members, from one pass over the tree (a scope comes before what it holds). */
function chartMembers(tree: ConstructTree): Map<Chart, ChartMembers> {
  const closestChart = new Map<IConstruct, Chart>();
  const members = new Map<Chart, ChartMembers>();
  tree.constructs.forEach((construct, i) => {
    const scope = construct.node.scope;
    const chart = Chart.isChart(construct) ? construct : scope && closestChart.get(scope);
    if (!chart) return;
    closestChart.set(construct, chart);
    if (chart === construct) members.set(chart, { objects: [], hasDependencies: false });
    if (construct instanceof ApiObject) members.get(chart)!.objects.push(construct);
    if (tree.dependencies[i].length > 0) {
      for (let c: IConstruct | undefined = chart; c; c = c.node.scope) {
        if (Chart.isChart(c)) members.get(c)!.hasDependencies = true;
      }
    }
  });
  return members;
}

/**
 * What `Chart.toJson()` returns, once the app has been prepared: the chart's own objects in
 * dependency order. Without dependencies that order is the construct tree's, so the graph is
 * only built when some construct of the chart declares one.
 */
function chartObjects(chart: Chart, members: ChartMembers): unknown[] {
  const ordered = members.hasDependencies
    ? new DependencyGraph(chart.node).topology().filter(isObjectOf(chart))
    : members.objects;
  return ordered.map((o) => o.toJson());
}

/** The objects of all charts, each with its file and its position in apply order. */
export function sourcedObjects(manifests: readonly ChartManifest[]): SourcedObject[] {
  let order = 0;
  return manifests.flatMap((m) => m.objects.map((object) => ({ object, source: m.file, order: order++ })));
}

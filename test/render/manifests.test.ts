import { ApiObject, App, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { appManifests, chartsInApplyOrder } from '../../lib/render/manifests';
import { seededRandom } from '../seeded-random';

/**
 * An app of random charts (some nested, some with integer-like ids, which plain objects order
 * first), plain constructs and ConfigMaps, and dependencies on things created earlier, from
 * objects, plain constructs and charts (constructs outside every chart have none: cdk8s refuses those).
 */
function randomApp(seed: number): App {
  const next = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
  const app = new App();
  const charts: Chart[] = [];
  const created: IConstruct[] = [];
  for (let i = 0; i < 12; i++) {
    const roll = next();
    let made: IConstruct;
    if (roll < 0.25 || charts.length === 0) {
      const scope = charts.length > 0 && next() < 0.2 ? pick(charts) : app;
      const id = next() < 0.3 ? String(Math.floor(next() * 20)) : `chart${i}`;
      if (scope.node.tryFindChild(id)) continue;
      made = new Chart(scope, id, { disableResourceNameHashes: true });
      charts.push(made as Chart);
    } else if (roll < 0.35) {
      made = new Construct(app, `loose${i}`);
    } else if (roll < 0.55) {
      made = new Construct(pick(charts), `group${i}`);
    } else {
      const scope = pick([...charts, ...created.filter((c) => !Chart.isChart(c) && Chart.isChart(c.node.scope))]);
      if (!isInChart(scope)) continue;
      made = new k8s.KubeConfigMap(scope, `cm${i}`, { metadata: { name: `cm${i}` }, data: { i: String(i) } });
    }
    created.push(made);
    // cdk8s refuses a dependency from or on a construct outside every chart.
    const targets = created.filter(isInChart);
    const dependencies = isInChart(made) && next() < 0.5 ? Math.floor(next() * 3) : 0;
    for (let d = 0; d < dependencies && targets.length > 0; d++) {
      const target = pick(targets);
      if (target !== made && !isAncestorOf(target, made) && !isAncestorOf(made, target)) made.node.addDependency(target);
    }
  }
  return app;
}

function isInChart(construct: IConstruct): boolean {
  for (let c: IConstruct | undefined = construct; c; c = c.node.scope) if (Chart.isChart(c)) return true;
  return false;
}

function isAncestorOf(ancestor: IConstruct, construct: IConstruct): boolean {
  for (let c: IConstruct | undefined = construct.node.scope; c; c = c.node.scope) if (c === ancestor) return true;
  return false;
}

describe('chart and object order without a vertex per construct', () => {
  const seeds = Array.from({ length: 60 }, (_, i) => i + 1);

  test.each(seeds)('layout %i: charts in the order of cdk8s App.charts, objects as Chart.toJson()', (seed) => {
    let ours: string[];
    let manifests: ReturnType<typeof appManifests>;
    try {
      manifests = appManifests(randomApp(seed));
      ours = manifests.map((m) => m.chart.node.path);
    } catch (error) {
      // A layout whose implicit dependencies form a cycle (of charts, or of the objects cdk8s makes depend on each other) is refused by cdk8s too.
      expect(String(error)).toMatch(/cycle/i);
      expect(() => randomApp(seed).synthYaml()).toThrow(/cycle/i);
      return;
    }
    const stock = randomApp(seed);
    chartsInApplyOrder(stock); // resolves the implicit chart dependencies, as cdk8s' synth does first
    expect(ours).toEqual(stock.charts.map((chart) => chart.node.path));
    for (const manifest of manifests) expect(manifest.objects).toEqual(manifest.chart.toJson());
  });

  test('the layouts exercise what the shortcut leaves out: lonely constructs, dependencies, nested charts', () => {
    let lonely = 0;
    let withDependencies = 0;
    let nested = 0;
    let ordered = 0;
    for (const seed of seeds) {
      try {
        appManifests(randomApp(seed));
        ordered++;
      } catch {
        // a cycle, compared with cdk8s above
      }
      const constructs = randomApp(seed).node.findAll();
      lonely += constructs.filter((c) => !Chart.isChart(c) && c.node.dependencies.length === 0).length;
      withDependencies += constructs.filter((c) => c.node.dependencies.length > 0).length;
      nested += constructs.filter((c) => Chart.isChart(c) && Chart.isChart(c.node.scope)).length;
    }
    expect(lonely).toBeGreaterThan(100);
    expect(withDependencies).toBeGreaterThan(100);
    expect(nested).toBeGreaterThan(5);
    expect(ordered).toBeGreaterThan(seeds.length * 0.75);
  });

  test('an object depending on itself through its chart is still refused as cdk8s refuses it', () => {
    const app = new App();
    const chart = new Chart(app, 'only');
    const object: ApiObject = new k8s.KubeConfigMap(chart, 'cm', { metadata: { name: 'cm' } });
    const other = new k8s.KubeConfigMap(chart, 'cm2', { metadata: { name: 'cm2' } });
    object.node.addDependency(other);
    other.node.addDependency(object);
    expect(() => appManifests(app)).toThrow(/Dependency cycle detected/);
  });
});

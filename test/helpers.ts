import { Chart, Testing } from 'cdk8s';

/** A synthesized Kubernetes object, as plain JSON. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Obj = Record<string, any>;

/** A fresh chart `test` in a fresh app; `namespace` sets the chart's namespace. */
export function newChart(namespace?: string, id = 'test'): Chart {
  return namespace === undefined ? Testing.chart() : new Chart(Testing.app(), id, { namespace });
}

/** The objects of one or more charts, in synthesis order. */
export function synth(...charts: Chart[]): Obj[] {
  return charts.flatMap((chart) => chart.toJson() as Obj[]);
}

/** Every object of `kind`. */
export function allOf(objects: readonly Obj[], kind: string): Obj[] {
  return objects.filter((o) => o.kind === kind);
}

/** The one object of `kind` named `name`; fails the test when there is none or more than one. */
export function find(objects: readonly Obj[], kind: string, name: string): Obj {
  const found = objects.filter((o) => o.kind === kind && o.metadata?.name === name);
  if (found.length !== 1) {
    const present = objects.map((o) => `${o.kind}/${o.metadata?.name}`).join(', ');
    throw new Error(`expected exactly one ${kind} ${name}, found ${found.length} (present: ${present || 'nothing'})`);
  }
  return found[0];
}

/** Whether an object of `kind` named `name` exists. */
export function has(objects: readonly Obj[], kind: string, name: string): boolean {
  return objects.some((o) => o.kind === kind && o.metadata?.name === name);
}

/** The pod spec of a Deployment or StatefulSet. */
export function podSpec(workload: Obj): Obj {
  return workload.spec.template.spec;
}

/** The single container of a workload. */
export function container(workload: Obj): Obj {
  const containers = podSpec(workload).containers;
  if (containers.length !== 1) throw new Error(`expected one container, found ${containers.length}`);
  return containers[0];
}

/** The container's env as a name → entry map. */
export function envOf(workload: Obj): Record<string, Obj> {
  return Object.fromEntries((container(workload).env ?? []).map((e: Obj) => [e.name, e]));
}

/** The volume mounted at `mountPath`, with its mount. */
export function mountAt(workload: Obj, mountPath: string): { mount: Obj; volume: Obj | undefined } {
  const mount = (container(workload).volumeMounts ?? []).find((m: Obj) => m.mountPath === mountPath);
  if (!mount) throw new Error(`nothing mounted at ${mountPath}`);
  const volume = (podSpec(workload).volumes ?? []).find((v: Obj) => v.name === mount.name);
  return { mount, volume };
}

/** Escapes a literal for use in a RegExp. */
export function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The error message `invalidProp` produces: `<path>: invalid <field> <value>: …`, with the value
 * JSON-encoded. Returns a RegExp matching its start.
 */
export function invalid(path: string, field: string, value: unknown): RegExp {
  const shown = value === undefined ? '(missing)' : JSON.stringify(value);
  return new RegExp(`^${literal(`${path}: invalid ${field} ${shown}: `)}`);
}

/**
 * The same message reported by a construct validation when the app is synthesized: cdk8s
 * collects them as `[<path>] <message>` under "Validation failed with the following errors".
 */
export function invalidAtSynth(path: string, field: string, value: unknown): RegExp {
  return new RegExp(`^Validation failed with the following errors:[^]*\\n  ${literal(`[${path}] `)}${invalid(path, field, value).source.slice(1)}`);
}

/**
 * The findings of a validation report as `rule object path` lines, for asserting that a stage has
 * exactly the findings it should (the dev stage's `:latest` images are a true `image-pinning` warning).
 */
export function findingLines(findings: readonly { rule: string; severity: string; object: string; path: string }[]): string[] {
  return findings.map((f) => `${f.severity} ${f.rule} ${f.object} ${f.path}`);
}

/** The `image-pinning` warnings of the dev stage of the habr demo: its app images are built in minikube as `:latest`. */
export const DEV_UNPINNED_IMAGE_WARNINGS = [
  'Deployment default/worker-deployment', 'Deployment default/backend-deployment',
  'Deployment default/frontend-v1-deployment', 'Job default/seed-job',
].map((object) => `warning image-pinning ${object} spec.template.spec.containers[0].image`);

/**
 * The labels the constructs put on a workload `name`'s objects in the chart `test` (see
 * {@link newChart}): the chart's recommended ones, `extra` (the version, a component, given labels)
 * and the name.
 */
export function testChartLabels(name?: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'app.kubernetes.io/instance': 'test',
    'app.kubernetes.io/managed-by': 'habr-k8s',
    'app.kubernetes.io/part-of': 'test',
    ...(name === undefined ? {} : { 'app.kubernetes.io/name': name }),
    ...extra,
  };
}

/**
 * `npm run bench -- --section=compose-corpus [--corpus=DIR]`: imports every compose file of a
 * corpus folder of your own, synthesizes each app with `habr-k8s synth`
 * (which validates it) and counts what converts. Counts, not times: nothing here is timed.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { planComposeText, renderPlan } from '../lib/compose/import';
import { imagePort, knownImage } from '../lib/compose/known-images';
import { imageRuntimeNeeds } from '../lib/manifest/image-needs';
import { ComposeProject } from '../lib/compose/model';
import { ImportPlan } from '../lib/compose/plan';
import { parseDotEnv } from '../lib/compose/values';
import { analyzeFolder } from '../tools/netpol-analyzer/analyzer';

const REPO = path.resolve(__dirname, '..');
const COMPOSE_FILE = /^(docker-)?compose(\.[\w-]+)?\.ya?ml$/;

/**
 * A check of one synthesized app's folder, such as the allowed connections np-guard's netpol-analyzer
 * lists against the ones the app makes (the `reach` branch brings it): how many of `total` pass.
 */
export type SynthesizedFolderCheck = (folder: string, app: CorpusApp) => { readonly passed: number; readonly total: number };

/** What the import of one compose file gave. */
export interface CorpusApp {
  /** The compose file, relative to the corpus. */
  readonly file: string;
  /** The import's error, when the file did not import. */
  readonly importError?: string;
  readonly services: number;
  /**
   * Published TCP ports of the file (`ports: ["8080:80"]`), each as the workload it became (its
   * base name, `<name>-deployment`, `<name>-statefulset`) and the container port it targets.
   */
  readonly published: readonly PublishedPort[];
  /** How many of them became an exposure its policies admit (NodePort, LoadBalancer). */
  readonly exposedPorts: number;
  /** Images named by `image:` (built ones excluded), those whose port or preset the importer knows, and those the table of image needs knows. */
  readonly images: readonly string[];
  readonly knownImages: number;
  readonly tableImages: number;
  /** `habr-k8s synth` (which validates): the objects written, or its first error line. */
  readonly objects?: number;
  readonly synthError?: string;
  readonly check?: { readonly passed: number; readonly total: number };
}

/** A published port: the workload's base name and the container port compose publishes. */
export interface PublishedPort {
  readonly workload: string;
  readonly port: number;
}

/** The compose files under `root`, sorted, relative to it. */
export function composeFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (folder: string) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(path.join(folder, entry.name));
      else if (COMPOSE_FILE.test(entry.name)) found.push(path.relative(root, path.join(folder, entry.name)));
    }
  };
  walk(root);
  return found.sort();
}

/** Imports and synthesizes each compose file of `root`; `check` runs on each synthesized folder. */
export function measureComposeCorpus(root: string, check?: SynthesizedFolderCheck): CorpusApp[] {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'compose-corpus-'));
  try {
    return composeFiles(root).map((file, i) => measureApp(root, file, path.join(REPO, 'apps', `.tmp-corpus-${process.pid}-${i}`), path.join(scratch, String(i)), check));
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function measureApp(root: string, file: string, appDir: string, outDir: string, check: SynthesizedFolderCheck | undefined): CorpusApp {
  const composeFile = path.join(root, file);
  const dotEnv = path.join(path.dirname(composeFile), '.env');
  const variables = fs.existsSync(dotEnv) ? parseDotEnv(fs.readFileSync(dotEnv, 'utf8')) : {};
  const empty = { file, services: 0, published: [], exposedPorts: 0, images: [], knownImages: 0, tableImages: 0 };
  const text = fs.readFileSync(composeFile, 'utf8');
  let imported: ReturnType<typeof renderPlan>;
  let plan: ImportPlan;
  let project: ComposeProject;
  try {
    ({ project, plan } = planComposeText(text, composeFile, { variables }));
    imported = renderPlan(plan, composeFile, { out: appDir });
  } catch (error) {
    return { ...empty, importError: (error as Error).message };
  }
  const images = plan.services.filter((s) => !s.build).map((s) => s.image);
  const figures = {
    file,
    services: plan.services.length,
    published: project.services.flatMap((s) => {
      const workload = plan.services.find((p) => p.compose === s.name)!.name;
      return s.ports.filter((p) => p.published !== undefined && p.protocol === 'tcp').map((p) => ({ workload, port: p.target }));
    }),
    exposedPorts: plan.services.reduce((sum, s) => sum + (s.exposure?.ports.length ?? 0), 0),
    images,
    knownImages: images.filter((image) => knownImage(image) !== undefined || imagePort(image) !== undefined).length,
    tableImages: images.filter((image) => imageRuntimeNeeds(image) !== undefined).length,
  };
  fs.mkdirSync(appDir, { recursive: true });
  try {
    for (const generated of imported.files) fs.writeFileSync(path.join(appDir, generated.file), generated.content);
    const run = spawnSync(process.execPath, [path.join(REPO, 'bin/habr-k8s.js'), 'synth', '--app', path.join(appDir, 'main.ts')], {
      cwd: REPO, encoding: 'utf8', env: { ...process.env, OUTDIR: outDir, STAGE: '', CDK8S_OUTDIR: '', INIT_CWD: '', npm_lifecycle_event: '' },
    });
    const written = /: (\d+) objects in \d+ files/.exec(run.stdout);
    if (run.status !== 0 || !written) return { ...figures, synthError: (run.stderr || run.stdout).trim().split('\n')[0] };
    const app = { ...figures, objects: Number(written[1]) };
    return check ? { ...app, check: check(outDir, app) } : app;
  } finally {
    fs.rmSync(appDir, { recursive: true, force: true });
  }
}

/** What np-guard's netpol-analyzer names every address outside the cluster. */
const EVERY_IPV4_ADDRESS = '0.0.0.0-255.255.255.255';

/** A workload as the analyzer names it, `<namespace>/<name>-deployment[Deployment]` (or a StatefulSet): its base name. */
const ANALYZED_WORKLOAD = /^[^/]+\/(.+)-(?:deployment\[Deployment\]|statefulset\[StatefulSet\])$/;

/**
 * The check `--reach` runs: of an app's published ports, how many are reachable, port by port: the
 * netpol-analyzer (built by tools/netpol-analyzer) lists a connection from every address outside
 * the cluster to the pods of the workload the port's service became, on the container port it publishes.
 */
export function publishedPortsReachable(analyzer: string): SynthesizedFolderCheck {
  return (folder, app) => {
    const open = new Set(analyzeFolder(analyzer, folder).connections
      .filter((connection) => connection.src === EVERY_IPV4_ADDRESS)
      .flatMap((connection) => {
        const workload = ANALYZED_WORKLOAD.exec(connection.dst)?.[1];
        return workload === undefined ? [] : connection.ports.map((port) => `${workload} ${port}`);
      }));
    const reachable = app.published.filter(({ workload, port }) => open.has(`${workload} TCP ${port}`) || open.has(`${workload} All Connections`));
    return { passed: reachable.length, total: app.published.length };
  };
}

/** The figures of a corpus as a short report; `checkName` says what the folder check counted. */
export function formatCorpusFigures(apps: readonly CorpusApp[], checkName = 'folder check'): string {
  const sum = (value: (app: CorpusApp) => number, of = apps) => of.reduce((total, app) => total + value(app), 0);
  const imported = apps.filter((a) => a.importError === undefined);
  const synthesized = apps.filter((a) => a.objects !== undefined);
  const checked = apps.filter((a) => a.check);
  const lines = [
    `compose files: ${apps.length}; imported: ${imported.length}; synthesized and validated with no error: ${synthesized.length}`,
    `services (one workload each): ${sum((a) => a.services)}`,
    `published TCP ports: ${sum((a) => a.published.length)}; exposed by a NodePort or LoadBalancer their policies admit: ${sum((a) => a.exposedPorts)}`,
    `images (not built): ${sum((a) => a.images.length)}; whose port or preset the importer knows: ${sum((a) => a.knownImages)}; `
      + `in the table of image needs: ${sum((a) => a.tableImages)}`,
    `objects written by the apps that synthesized: ${sum((a) => a.objects ?? 0)}`,
    checked.length
      ? `${checkName}: ${sum((a) => a.check!.passed, checked)} of ${sum((a) => a.check!.total, checked)} in ${checked.length} apps`
      : 'reachability: not measured (--reach runs the netpol-analyzer on each app)',
    ...apps.filter((a) => a.importError).map((a) => `  not imported: ${a.file}: ${a.importError}`),
    ...apps.filter((a) => a.importError === undefined && a.synthError).map((a) => `  not synthesized: ${a.file}: ${a.synthError}`),
  ];
  return lines.join('\n');
}

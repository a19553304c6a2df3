import { App } from 'cdk8s';
import { formatReport, validateObjects, ValidationReport } from '../validation';
import { externalObjectsOf } from '../constructs/external-objects';
import { outputHeader } from '../manifest/output-header';
import { ExternalObject, SourcedObject } from '../manifest/types';
import { appManifests, ChartManifest, sourcedObjects } from './manifests';
import { CommitOptions, CommitResult, commitOutput, OutputDocument, OutputFile } from '../output/write';
import { toYamlStream } from '../manifest/yaml';
import { outputDocumentsOf } from './output-documents';

/** How an app's objects are checked. */
export interface RenderOptions {
  /** More objects created outside the manifests, besides those declared with `declareExternalObject`. @default - none */
  readonly externalObjects?: readonly ExternalObject[];
  /** The Kubernetes version the manifests target; its schema findings are errors. @default '1.27' */
  readonly kubernetesVersion?: string;
  /** Newer versions to check too; what only they reject is reported as a warning. @default - every supported newer version ('1.33') */
  readonly upgradeVersions?: readonly string[];
}

/**
 * An output format: the files the rendered objects are written as, named relative to the output
 * folder. {@link yamlFiles} is the format of `synth`; the Helm chart (lib/render/helm/chart.ts) is
 * another one, built from the same per-chart objects.
 * @inline
 */
export type OutputFormat = (rendered: RenderedObjects) => readonly OutputFile[];

/** How an app is checked before it is written, and what is written with it. */
export interface SynthesizeOptions extends CommitOptions, RenderOptions {
  /** The format the objects are written in. @default yamlFiles */
  readonly format?: OutputFormat;
  /** More text files, made from the validated app, committed together with the manifests (e.g. a diagram). @default - none */
  readonly documents?: (rendered: RenderedApp) => readonly OutputDocument[];
}

/** An app written: what was rendered, and what the commit did. */
export interface SynthesizedApp extends RenderedApp {
  readonly commit: CommitResult;
}

/** An app rendered to objects, chart by chart, and validated as a whole: what every output format writes. */
export interface RenderedObjects {
  /** Each chart's objects, in apply order, with the file they belong in. */
  readonly manifests: readonly ChartManifest[];
  /** Every object with its source, in the same order. */
  readonly objects: readonly SourcedObject[];
  /** The objects the manifests need but do not create (declared ones and `externalObjects`). */
  readonly externalObjects: readonly ExternalObject[];
  readonly report: ValidationReport;
}

/** An app turned into files and checked, but not yet written. */
export interface RenderedApp extends RenderedObjects {
  /** The files of the output format. */
  readonly files: readonly OutputFile[];
}

/** A synthesis stopped by validation errors; nothing was written. */
export class SynthesisError extends Error {
  constructor(public readonly report: ValidationReport) {
    super(`synthesis stopped: ${report.errors} error(s); nothing was written\n${formatReport(report)}`);
    this.name = 'SynthesisError';
  }
}

/** Milliseconds {@link renderApp} spent in each phase (filled in when passed, e.g. by the benchmark). @inline */
export interface RenderPhases {
  /** The charts' plain objects (cdk8s `toJson`). */
  objects?: number;
  /** Whole-app validation: schema and rules. */
  validation?: number;
  /** The output format's files (YAML of every chart, by default). */
  yaml?: number;
}

/** A stopwatch filling in {@link RenderPhases}: each lap is the time since the previous one. */
function stopwatch(phases: RenderPhases | undefined): (phase: keyof RenderPhases) => void {
  let started = performance.now();
  return (phase) => {
    const now = performance.now();
    if (phases) phases[phase] = now - started;
    started = now;
  };
}

/** The first stage of every output: the objects of an app, chart by chart in apply order, validated as a whole. */
export function renderObjects(app: App, options: RenderOptions = {}, phases?: RenderPhases): RenderedObjects {
  const lap = stopwatch(phases);
  const manifests = appManifests(app);
  const objects = sourcedObjects(manifests);
  lap('objects');
  const externalObjects = [...externalObjectsOf(app), ...(options.externalObjects ?? [])];
  const report = validateObjects(objects, {
    externalObjects,
    kubernetesVersion: options.kubernetesVersion,
    upgradeVersions: options.upgradeVersions,
  });
  lap('validation');
  return { manifests, objects, externalObjects, report };
}

/**
 * The format of `synth`: one YAML stream per chart. The first file opens with a comment that marks
 * the output and lists the external objects, so `habr-k8s validate <outdir>` checks the output as
 * synth did; kubectl ignores it.
 */
export function yamlFiles(rendered: RenderedObjects): OutputFile[] {
  return rendered.manifests.map((m, i) => ({ file: m.file, content: (i === 0 ? outputHeader(rendered.externalObjects) : '') + toYamlStream(m.objects) }));
}

function formatted(rendered: RenderedObjects, options: SynthesizeOptions): readonly OutputFile[] {
  return (options.format ?? yamlFiles)(rendered);
}

/** The objects of an app, validated as a whole, and written in `options.format` (YAML per chart by default). */
export function renderApp(app: App, options: SynthesizeOptions = {}, phases?: RenderPhases): RenderedApp {
  const rendered = renderObjects(app, options, phases);
  const lap = stopwatch(phases);
  const files = formatted(rendered, options);
  lap('yaml');
  return { ...rendered, files };
}

/**
 * Renders, validates and writes the app into `outdir` (with `options.documents` and those the app
 * registered with `addOutputDocuments()`, in one crash-safe commit); throws
 * {@link SynthesisError} and writes nothing
 * on errors.
 */
export function synthesize(app: App, outdir: string, options: SynthesizeOptions = {}): SynthesizedApp {
  const objects = renderObjects(app, options);
  if (objects.report.errors > 0) throw new SynthesisError(objects.report);
  const rendered: RenderedApp = { ...objects, files: formatted(objects, options) };
  const documents = [...(options.documents?.(rendered) ?? []), ...outputDocumentsOf<RenderedApp>(app)(rendered)];
  const commit = commitOutput({ folder: outdir, files: rendered.files, documents }, options);
  return { ...rendered, commit };
}

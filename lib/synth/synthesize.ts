import { App } from 'cdk8s';
import { formatReport, validateObjects, ValidationReport } from '../validation';
import { externalObjectsOf, outputHeader } from '../external-objects';
import { ExternalObject, SourcedObject } from '../validation/types';
import { appManifests, ChartManifest, sourcedObjects } from './manifests';
import { CommitOptions, CommitResult, commitOutput, OutputDocument, OutputFile } from './write';
import { toYamlStream } from './yaml';

/** How an app is checked before it is written, and what is written with it. */
export interface SynthesizeOptions extends CommitOptions {
  /** More objects created outside the manifests, besides those declared with `declareExternalObject`. @default - none */
  readonly externalObjects?: readonly ExternalObject[];
  /** The Kubernetes version the manifests target; its schema findings are errors. @default '1.27' */
  readonly kubernetesVersion?: string;
  /** Newer versions to check too; what only they reject is reported as a warning. @default - every supported newer version ('1.33') */
  readonly upgradeVersions?: readonly string[];
  /** More text files, made from the validated app, committed together with the manifests (e.g. a diagram). @default - none */
  readonly documents?: (rendered: RenderedApp) => readonly OutputDocument[];
}

/** An app written: what was rendered, and what the commit did. */
export interface SynthesizedApp extends RenderedApp {
  readonly commit: CommitResult;
}

/** An app turned into files and checked, but not yet written. */
export interface RenderedApp {
  readonly manifests: readonly ChartManifest[];
  readonly objects: readonly SourcedObject[];
  readonly files: readonly OutputFile[];
  readonly report: ValidationReport;
}

/** A synthesis stopped by validation errors; nothing was written. */
export class SynthesisError extends Error {
  constructor(public readonly report: ValidationReport) {
    super(`synthesis stopped: ${report.errors} error(s); nothing was written\n${formatReport(report)}`);
    this.name = 'SynthesisError';
  }
}

/** Milliseconds {@link renderApp} spent in each phase (filled in when passed, e.g. by the benchmark). */
export interface RenderPhases {
  /** The charts' plain objects (cdk8s `toJson`). */
  objects?: number;
  /** Whole-app validation: schema and rules. */
  validation?: number;
  /** YAML of every chart. */
  yaml?: number;
}

/** The objects of an app, in apply order, validated as a whole and serialized per chart. */
export function renderApp(app: App, options: SynthesizeOptions = {}, phases?: RenderPhases): RenderedApp {
  let started = performance.now();
  const lap = (phase: keyof RenderPhases) => {
    const now = performance.now();
    if (phases) phases[phase] = now - started;
    started = now;
  };
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
  // The first file opens with a comment that marks the output and lists the external objects, so
  // `npm run validate -- <outdir>` checks the output as synth did; kubectl ignores it.
  const files = manifests.map((m, i) => ({ file: m.file, content: (i === 0 ? outputHeader(externalObjects) : '') + toYamlStream(m.objects) }));
  lap('yaml');
  return { manifests, objects, files, report };
}

/**
 * Renders, validates and writes the app into `outdir` (with `options.documents`, in one
 * crash-safe commit: see {@link commitOutput}); throws {@link SynthesisError} and writes nothing
 * on errors.
 */
export function synthesize(app: App, outdir: string, options: SynthesizeOptions = {}): SynthesizedApp {
  const rendered = renderApp(app, options);
  if (rendered.report.errors > 0) throw new SynthesisError(rendered.report);
  const commit = commitOutput({ folder: outdir, files: rendered.files, documents: options.documents?.(rendered) }, options);
  return { ...rendered, commit };
}

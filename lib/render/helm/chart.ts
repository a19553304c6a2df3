/**
 * A Helm chart from an app rendered once per profile with placeholders for its knobs (see
 * {@link KnobRegistry}): every object becomes a template, written once when the profiles agree on
 * it and in `{{- if eq .Values.profile "…" }}` blocks where they do not. It is the second output
 * format beside the YAML files of `synth` (`yamlFiles` in lib/render/synthesize.ts): both are
 * written from the same per-chart objects, never from each other's text.
 */
import * as path from 'path';
import { ChartManifest } from '../manifests';
import { KubeObject } from '../../manifest/types';
import { OutputDocument, OutputFile } from '../../output/write';
import { toYaml } from '../../manifest/yaml';
import { JsonSchema, Knob, templateYaml } from './knobs';

/** One profile's objects, file by file (the file names of the synth output). */
export interface ProfileRender {
  /** The value of `.Values.profile` that selects it. */
  readonly name: string;
  readonly files: readonly { readonly file: string; readonly objects: readonly KubeObject[] }[];
}

/** A profile from an app's objects chart by chart (`appManifests`, or `renderObjects(…).manifests`), keeping those `include` accepts. */
export function profileOf(name: string, manifests: readonly ChartManifest[], include: (object: KubeObject) => boolean = () => true): ProfileRender {
  return { name, files: manifests.map((m) => ({ file: m.file, objects: m.objects.filter(include) })) };
}

/** What Chart.yaml says. */
export interface ChartMetadata {
  readonly name: string;
  readonly description: string;
  readonly version: string;
  readonly appVersion: string;
}

/** A whole chart, ready for {@link commitOutput}: the templates folder and the files beside it. */
export interface ChartOutput {
  /** `<chart>/templates`. */
  readonly templatesFolder: string;
  readonly templates: readonly OutputFile[];
  /** Chart.yaml, values files, values.schema.json, .helmignore. */
  readonly documents: readonly OutputDocument[];
}

export interface ChartOptions {
  readonly folder: string;
  readonly metadata: ChartMetadata;
  readonly knobs: readonly Knob[];
  readonly profiles: readonly ProfileRender[];
  /** The default values (they render the first profile's stage). */
  readonly values: unknown;
  /** More values files shipped in the chart, e.g. `values-dev.yaml`. */
  readonly valuesFiles?: Readonly<Record<string, { readonly comment: string; readonly values: unknown }>>;
  readonly valuesComment: string;
  readonly schema: JsonSchema;
  /** The command named in the "Written by" comments of Chart.yaml and .helmignore. */
  readonly writtenBy: string;
}

function key(object: KubeObject): string {
  return `${object.kind}/${object.metadata?.namespace ?? ''}/${object.metadata?.name}`;
}

function block(condition: string, body: string): string {
  return `{{- if ${condition} }}\n${body}{{- end }}\n`;
}

function comment(text: string): string {
  return text.split('\n').map((line) => (line ? `# ${line}` : '#')).join('\n') + '\n';
}

/** The templates of every file any profile has, and the knobs they use. */
export function chartTemplates(profiles: readonly ProfileRender[], knobs: readonly Knob[]): { templates: OutputFile[]; used: Set<string> } {
  const used = new Set<string>();
  const fileNames = [...new Set(profiles.flatMap((p) => p.files.map((f) => f.file)))].sort();
  const templates = fileNames.map((file) => {
    // Per object key: the template in each profile that has it, in first-seen order.
    const objects = new Map<string, Map<string, string>>();
    for (const profile of profiles) {
      for (const object of profile.files.find((f) => f.file === file)?.objects ?? []) {
        const { template, used: usedHere } = templateYaml(toYaml(object), knobs);
        usedHere.forEach((k) => used.add(k));
        if (!objects.has(key(object))) objects.set(key(object), new Map());
        const perProfile = objects.get(key(object))!;
        if (perProfile.has(profile.name)) throw new Error(`${file}: two objects ${key(object)} in profile ${profile.name}`);
        perProfile.set(profile.name, template);
      }
    }
    const chunks = [...objects.values()].map((perProfile) => {
      const texts = [...new Set(perProfile.values())];
      if (texts.length === 1 && perProfile.size === profiles.length) return `---\n${texts[0]}`;
      return [...perProfile.entries()].map(([name, text]) => block(`eq .Values.profile ${JSON.stringify(name)}`, `---\n${text}`)).join('');
    });
    return { file, content: chunks.join('') };
  });
  return { templates, used };
}

/** The chart's files; throws when a knob is used by no template (a value that would change nothing). */
export function helmChart(options: ChartOptions): ChartOutput {
  const { templates, used } = chartTemplates(options.profiles, options.knobs);
  const unused = options.knobs.filter((k) => !used.has(k.path)).map((k) => k.path);
  if (unused.length) throw new Error(`values ${unused.join(', ')} change no template; leave them out of the chart`);
  const { metadata } = options;
  const chartYaml = toYaml({
    apiVersion: 'v2',
    name: metadata.name,
    description: metadata.description,
    type: 'application',
    version: metadata.version,
    appVersion: metadata.appVersion,
  });
  const documents: OutputDocument[] = [
    { file: path.join(options.folder, 'Chart.yaml'), content: comment(`Written by \`${options.writtenBy}\`; do not edit.`) + chartYaml },
    { file: path.join(options.folder, 'values.yaml'), content: comment(options.valuesComment) + toYaml(options.values) },
    ...Object.entries(options.valuesFiles ?? {}).map(([file, { comment: text, values }]) => ({
      file: path.join(options.folder, file),
      content: comment(text) + toYaml(values),
    })),
    { file: path.join(options.folder, 'values.schema.json'), content: JSON.stringify(options.schema, null, 2) + '\n' },
    // The record of the files synth wrote is no template.
    { file: path.join(options.folder, '.helmignore'), content: `# Written by \`${options.writtenBy}\`.\n.habr-k8s-written\n` },
  ];
  return { templatesFolder: path.join(options.folder, 'templates'), templates, documents };
}

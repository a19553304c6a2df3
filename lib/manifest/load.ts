/** Reads a folder of manifests the way `kubectl apply -R -f <dir>` does. */
import * as fs from 'fs';
import * as path from 'path';
import type { Scalar } from 'yaml';
import { readOutputHeader } from './output-header';
import { readSubsetYaml, SubsetDocument } from './subset-yaml';
import { describeScalar, DocumentNotes, DuplicateKey, KUBECTL_PARSE_OPTIONS, plainScalarChangesType, TypeChange } from './kubectl-yaml';
import { compareText, isRecord, joinPath, labelOf } from './objects';
import { ExternalObject, Finding, KubeObject, SourcedObject } from './types';

/**
 * The `yaml` package, loaded when a folder is first read: every importer of lib/validation loads
 * this module, and `habr-k8s synth`, which never parses YAML, would spend ~150 ms loading it.
 */
let yamlPackage: typeof import('yaml') | undefined;
function yaml(): typeof import('yaml') {
  yamlPackage ??= require('yaml') as typeof import('yaml');
  return yamlPackage;
}

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/**
 * Alias expansions allowed per document before it counts as a "billion laughs" attack. Real
 * manifests use a handful; the `yaml` package's default (100) is kept.
 */
const MAX_ALIAS_COUNT = 100;

export interface LoadOptions {
  /**
   * Read subfolders too, as `kubectl apply -R -f` does. A subfolder whose first file opens with
   * the synthesized-output marker is a separate app (another stage) and is skipped, with a note.
   * @default true
   */
  readonly recursive?: boolean;
  /**
   * Reads the manifest files found, returning what each holds in the order given (parallel-read.ts
   * spreads them over a worker thread).
   * @default - one after the other with {@link readManifestFile}
   */
  readonly readFiles?: (files: readonly ManifestFile[]) => FileContents[];
}

/** A manifest file to read: where it is, and the name findings give it. */
export interface ManifestFile {
  readonly file: string;
  readonly source: string;
  /** The file's text when it was read already (the first file of a subfolder, read whole to check its header). */
  readonly text?: string;
}

/** What one manifest file holds, as {@link readManifestFile} reads it. */
export interface FileContents {
  /** False when the file itself could not be read (its finding says why). */
  readonly readable: boolean;
  /** The size of the file's text in UTF-8, its size on disk unless that is no valid UTF-8 (0 when it could not be read). */
  readonly bytes: number;
  readonly objects: KubeObject[];
  readonly findings: Finding[];
  /** Objects the file's habr-k8s header declares external. */
  readonly externalObjects: ExternalObject[];
}

/** Everything read from a folder: its objects and what stood in the way of reading them. */
export interface ManifestFolder {
  /** The objects, in the order `kubectl apply -R -f` sends them. */
  readonly objects: SourcedObject[];
  /** Unreadable files and documents (errors), and scalars kubectl reads as another type than YAML 1.2 does (warnings). */
  readonly findings: Finding[];
  /** Objects declared external by the header of a synthesized output file. */
  readonly externalObjects: ExternalObject[];
  /** What was left out, and why (a subfolder with its own synthesized output, a symlinked folder). */
  readonly notes: string[];
  /** How many manifest files were read. */
  readonly files: number;
}

type Reading = { -readonly [K in keyof ManifestFolder]: ManifestFolder[K] };

function isKubeObject(value: unknown): value is KubeObject {
  return isRecord(value) && typeof value.kind === 'string' && typeof value.apiVersion === 'string';
}

const NOT_AN_OBJECT = 'not a Kubernetes object (apiVersion and kind must be strings); kubectl apply would refuse it too. '
  + 'If it is a patch for `kubectl patch`, keep it out of the manifest folder.';

function isList(object: KubeObject): boolean {
  return (object.kind === 'List' || object.kind.endsWith('List')) && Array.isArray(object.items);
}

function fileFinding(rule: string, file: string, object: string, message: string): Finding {
  return { rule, severity: 'error', source: file, object, path: '', message, apiServer: 'rejects' };
}

/** A plain scalar node the `yaml` package read, checked as kubectl reads it. */
function changesType(node: Scalar): boolean {
  return node.type === 'PLAIN' && !node.tag && plainScalarChangesType(node.source ?? '', node.value);
}

/** The notes of a document the `yaml` package composed, as the subset reader takes them (subset-yaml.ts). */
function inspectNode(node: unknown, path: Array<string | number>, notes: DocumentNotes, lineOf: (node: Scalar) => number): void {
  const { isMap, isScalar, isSeq } = yaml();
  const typeChange = (scalar: Scalar, isKey: boolean): TypeChange => ({ path: [...path], source: scalar.source ?? '', value: scalar.value, isKey, line: lineOf(scalar) });
  if (isMap(node)) {
    let seen: Map<string, number[]> | undefined;
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? pair.key : undefined;
      const name = key ? String(key.value) : String(pair.key);
      path.push(name);
      if (key) {
        if (changesType(key)) notes.typeChanges.push(typeChange(key, true));
        seen ??= new Map();
        const lines = seen.get(name);
        if (lines) lines.push(lineOf(key));
        else seen.set(name, [lineOf(key)]);
      }
      inspectNode(pair.value, path, notes, lineOf);
      path.pop();
    }
    for (const [key, lines] of seen ?? []) {
      if (lines.length > 1 && key !== '<<') notes.duplicateKeys.push({ path: [...path], key, lines });
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => {
      path.push(i);
      inspectNode(item, path, notes, lineOf);
      path.pop();
    });
  } else if (isScalar(node) && changesType(node)) notes.typeChanges.push(typeChange(node, false));
}

function formatPath(path: ReadonlyArray<string | number>): string {
  return path.reduce<string>((joined, key) => (typeof key === 'number' ? `${joined}[${key}]` : joinPath(joined, key)), '');
}

function typeChangeFinding(change: TypeChange, relativePath: ReadonlyArray<string | number>, object: KubeObject, file: string): Finding {
  const { isKey, line } = change;
  const what = isKey ? 'the key' : '';
  return {
    rule: 'yaml-1.1',
    severity: 'warning',
    source: file,
    object: labelOf(object),
    path: formatPath(relativePath),
    message: `line ${line}: kubectl reads ${what ? `${what} ` : ''}\`${change.source}\` as ${describeScalar(change.value)} (YAML 1.1, as go-yaml v2 does); `
      + `a YAML 1.2 reader sees the string ${JSON.stringify(change.source)}. Quote it if you mean the string.`,
    apiServer: 'accepts',
  };
}

function duplicateKeyFinding(duplicate: DuplicateKey, relativePath: ReadonlyArray<string | number>, object: KubeObject, file: string): Finding {
  const [last, ...earlier] = [...duplicate.lines].reverse();
  const where = formatPath(relativePath);
  return {
    rule: 'yaml-duplicate-key',
    severity: 'warning',
    source: file,
    object: labelOf(object),
    path: joinPath(where, duplicate.key),
    message: `line ${last}: the key "${duplicate.key}" appears ${duplicate.lines.length} times in ${where === '' ? 'the top mapping' : where} `
      + `(also at line ${earlier.reverse().join(', ')}); kubectl keeps the last value and drops the others without a word, and the API server accepts it `
      + '(kubectl sends JSON, where the key is already single). Only a client that sends the text as written, the key twice, with strict field validation '
      + '(fieldValidation=Strict) is refused ("duplicate field"). Keep one of them.',
    apiServer: 'accepts',
  };
}

/**
 * The findings of a document's notes, each about the object it falls in: the document itself, or
 * the item of a List (`items[i]`) with the path inside that item.
 */
function noteFindings(notes: DocumentNotes, value: KubeObject, items: ReadonlyMap<number, KubeObject>, file: string, findings: Finding[]): void {
  const place = (path: ReadonlyArray<string | number>): [KubeObject, ReadonlyArray<string | number>] | undefined => {
    if (!isList(value) || path[0] !== 'items') return [value, path];
    if (path.length < 2) return [value, path];
    const item = items.get(path[1] as number);
    return item ? [item, path.slice(2)] : undefined;
  };
  for (const change of notes.typeChanges) {
    const at = place(change.path);
    if (at) findings.push(typeChangeFinding(change, at[1], at[0], file));
  }
  for (const duplicate of notes.duplicateKeys) {
    const at = place(duplicate.path);
    if (at) findings.push(duplicateKeyFinding(duplicate, at[1], at[0], file));
  }
}

/** The objects of one parsed document (itself, or the items of a List), with the findings of its bad items, type changes and duplicate keys. */
function documentObjects(value: unknown, notes: () => DocumentNotes, file: string, where: string, findings: Finding[]): KubeObject[] {
  if (!isKubeObject(value)) {
    findings.push({ ...fileFinding('manifest-document', file, where, NOT_AN_OBJECT), path: 'apiVersion' });
    return [];
  }
  if (!isList(value)) {
    noteFindings(notes(), value, new Map(), file, findings);
    return [value];
  }
  const items = new Map<number, KubeObject>();
  (value.items as unknown[]).forEach((item, i) => {
    if (!isKubeObject(item)) {
      findings.push({ ...fileFinding('manifest-document', file, `${where} items[${i}]`, NOT_AN_OBJECT), path: 'apiVersion' });
      return;
    }
    items.set(i, item);
  });
  noteFindings(notes(), value, items, file, findings);
  return [...items.values()];
}

/** One document of a file as the `yaml` package reads it: its value and notes, or why it cannot be read. */
export type PackageDocument =
  | { readonly error: string }
  | { readonly value: unknown; readonly notes: () => DocumentNotes };

/**
 * The documents of `text` read by the `yaml` package as kubectl reads YAML (1.1 scalars, the last
 * of duplicate keys), one at a time, so a large file never holds all its trees.
 */
export function* yamlPackageDocuments(text: string): Generator<PackageDocument> {
  const { Composer, LineCounter, Parser } = yaml();
  const lines = new LineCounter();
  const composer = new Composer(KUBECTL_PARSE_OPTIONS);
  for (const document of composer.compose(new Parser(lines.addNewLine).parse(text))) {
    const [error] = document.errors;
    if (error) {
      yield { error: `invalid YAML at line ${lines.linePos(error.pos[0]).line}: ${error.message.split('\n')[0]}` };
      continue;
    }
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (unreadable) {
      yield { error: `cannot read the document at line ${lines.linePos(document.range[0]).line}: ${(unreadable as Error).message}` };
      continue;
    }
    const notes = (): DocumentNotes => {
      const found: DocumentNotes = { typeChanges: [], duplicateKeys: [] };
      inspectNode(document.contents, [], found, (scalar) => lines.linePos(scalar.range?.[0] ?? 0).line);
      return found;
    };
    yield { value: value ?? null, notes };
  }
}

/** Whether the subset reader's documents need none of the findings only the `yaml` package's reading words exactly (documents that are no objects). */
function allObjects(documents: readonly SubsetDocument[]): boolean {
  return documents.every(({ value }) => value === null
    || (isKubeObject(value) && (!isList(value) || (value.items as unknown[]).every(isKubeObject))));
}

/**
 * Every object of one file, in document order, read as kubectl reads YAML (1.1 scalars). A YAML
 * error, an alias bomb or a document that is not a Kubernetes object is a finding in `findings`
 * (with the file, document and line) and the other documents are still read. Text in the subset
 * of YAML that manifests use is read by subset-yaml.ts; the rest by the `yaml` package.
 */
function readManifestText(text: string, file: string, findings: Finding[]): KubeObject[] {
  const objects: KubeObject[] = [];
  const subset = readSubsetYaml(text);
  if (subset && allObjects(subset)) {
    subset.forEach(({ value, notes }, i) => {
      if (value !== null) objects.push(...documentObjects(value, () => notes, file, `document ${i + 1}`, findings));
    });
    return objects;
  }
  let index = 0;
  for (const document of yamlPackageDocuments(text)) {
    const where = `document ${++index}`;
    if ('error' in document) findings.push(fileFinding('yaml', file, where, document.error));
    // An empty document (e.g. after a trailing `---`) holds no object.
    else if (document.value !== null) objects.push(...documentObjects(document.value, document.notes, file, where, findings));
  }
  return objects;
}

/**
 * Every object of one file, in document order. Problems are collected in `problems` when given
 * (the other documents are still read); otherwise the first error throws, naming the file.
 */
export function parseManifestText(text: string, file: string, problems?: Finding[]): KubeObject[] {
  const findings: Finding[] = problems ?? [];
  const objects = readManifestText(text, file, findings);
  const error = problems ? undefined : findings.find((finding) => finding.severity === 'error');
  if (error) throw new Error(`${file} ${error.object}: ${error.message}`);
  return objects;
}

/** Whether a name from a folder's listing (no `/`) ends in a manifest extension, as `path.extname` finds it (a leading dot starts no extension). */
function isManifestName(name: string): boolean {
  const dot = name.lastIndexOf('.');
  return dot > 0 && MANIFEST_EXTENSIONS.has(name.slice(dot).toLowerCase());
}

/** What an entry of a folder is once symlinks are followed; `undefined` for a broken link. */
function entryType(dir: string, entry: fs.Dirent): 'file' | 'folder' | 'linked-folder' | 'other' | undefined {
  if (entry.isFile()) return 'file';
  if (entry.isDirectory()) return 'folder';
  if (!entry.isSymbolicLink()) return 'other';
  try {
    const target = fs.statSync(path.join(dir, entry.name));
    return target.isFile() ? 'file' : target.isDirectory() ? 'linked-folder' : 'other';
  } catch {
    return undefined;
  }
}

function sortedEntries(dir: string): fs.Dirent[] {
  return fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => compareText(a.name, b.name));
}

/** Whether an entry of `dir` is a manifest file (a symlinked one too). */
function isManifestEntry(dir: string, entry: fs.Dirent): boolean {
  return isManifestName(entry.name) && entryType(dir, entry) !== 'folder';
}

/** The manifest files among the entries of `dir` (symlinked files too), in lexical order. */
function manifestEntries(dir: string, entries: readonly fs.Dirent[]): string[] {
  return entries.filter((entry) => isManifestEntry(dir, entry)).map((entry) => entry.name);
}

/** The *.yaml, *.yml and *.json files at the top of `dir` (symlinked files too), in lexical order. */
export function manifestFiles(dir: string): string[] {
  return manifestEntries(dir, sortedEntries(dir));
}

/** A file this long or shorter is read whole where only its first lines are needed, so that it is not opened again to be read. */
const HEAD_READ_BYTES = 64 * 1024;
let headBuffer: Buffer | undefined;

/**
 * Whether `dir` (with these entries) holds a synthesized output of its own: its first manifest file
 * opens with the output marker. That file's text is kept in `found.texts` when it was read whole.
 */
function isSynthesizedOutput(found: FoundFiles, dir: string, entries: readonly fs.Dirent[]): boolean {
  const first = entries.find((entry) => isManifestEntry(dir, entry));
  if (!first) return false;
  const file = entryPath(dir, first.name);
  try {
    const fd = fs.openSync(file, 'r');
    try {
      headBuffer ??= Buffer.allocUnsafe(HEAD_READ_BYTES + 1);
      const length = fs.readSync(fd, headBuffer, 0, headBuffer.length, 0);
      const text = headBuffer.toString('utf8', 0, length);
      if (length <= HEAD_READ_BYTES) found.texts.set(file, text);
      return readOutputHeader(text).output;
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
}

/** A Helm chart's folder (it holds a Chart.yaml): templates with `{{ }}`, not manifests. */
function isHelmChart(dir: string, entries: readonly fs.Dirent[]): boolean {
  const chart = entries.find((entry) => entry.name === 'Chart.yaml');
  return chart !== undefined && entryType(dir, chart) === 'file';
}

/**
 * The objects of a folder, as `kubectl apply -R -f <dir>` reads them: every *.yaml, *.yml and
 * *.json file in lexical order, subfolders in place (unless `recursive: false`), symlinked files
 * followed and symlinked folders not (as kubectl). A subfolder holding its own synthesized output
 * (another stage under `dist/`) or a Helm chart (a folder with a Chart.yaml, such as
 * `dist/helm/<chart>`) is skipped with a note. Nothing stops the reading: every problem
 * is a finding.
 */
export function readManifestFolder(dir: string, options: LoadOptions = {}): ManifestFolder {
  const found: FoundFiles = { files: [], notes: [], texts: new Map() };
  findFolderFiles(found, dir, '', options.recursive ?? true);
  return readFoundFiles(found, options);
}

/**
 * The objects of manifest files and folders, read in the order given, as `kubectl apply -f a -f b`
 * reads them: one folder alone as {@link readManifestFolder} reads it (its files named relative to
 * it), anything else with every file named by the path given. A path that does not exist throws.
 */
export function readManifestPaths(paths: readonly string[], options: LoadOptions = {}): ManifestFolder {
  if (paths.length === 1 && fs.statSync(paths[0]).isDirectory()) return readManifestFolder(paths[0], options);
  const found: FoundFiles = { files: [], notes: [], texts: new Map() };
  for (const given of paths) {
    if (fs.statSync(given).isDirectory()) findFolderFiles(found, '', given.replace(/(.)\/+$/, '$1'), options.recursive ?? true);
    else found.files.push({ file: given, source: given });
  }
  return readFoundFiles(found, options);
}

/** The manifest files to read, in kubectl's order, and what was left out. */
interface FoundFiles {
  readonly files: ManifestFile[];
  readonly notes: string[];
  /** Texts of files read whole while looking for the folders to skip, by path. */
  readonly texts: Map<string, string>;
}

/**
 * `path.join(dir, name)` for a folder already joined and a name from its listing (no `/`, never `.`
 * or `..`), without normalizing the whole path again for every entry, as path.join does in
 * JavaScript: a folder of many small files spends more on that than on listing them.
 */
function entryPath(dir: string, name: string): string {
  return dir === '.' || dir === '' || dir.endsWith(path.sep) ? path.join(dir, name) : `${dir}${path.sep}${name}`;
}

/**
 * Adds the manifest files of `path.join(root, relative)` and its subfolders to `found`. A subfolder
 * is named by the path its parent's was joined to ({@link entryPath}): `path.join` for each of them
 * normalized the whole path again, in JavaScript, which cost more than listing the folder.
 */
function findFolderFiles(found: FoundFiles, root: string, relative: string, recursive: boolean, listed?: { dir: string; entries: readonly fs.Dirent[] }): void {
  const dir = listed?.dir ?? path.join(root, relative);
  for (const entry of listed?.entries ?? sortedEntries(dir)) {
    const source = relative ? `${relative}/${entry.name}` : entry.name;
    const type = entryType(dir, entry);
    if (type === 'folder' && recursive) {
      const subfolder = entryPath(dir, entry.name);
      // Listed once: the checks below and the reading share the list.
      const subEntries = sortedEntries(subfolder);
      if (isSynthesizedOutput(found, subfolder, subEntries)) {
        found.notes.push(`${source}/: skipped, it holds a synthesized output of its own (another stage); validate it by itself: npx habr-k8s validate ${subfolder}`);
      } else if (isHelmChart(subfolder, subEntries)) {
        found.notes.push(`${source}/: skipped, a Helm chart (its templates are no manifests); render it first: helm template ${subfolder}`);
      } else findFolderFiles(found, root, source, recursive, { dir: subfolder, entries: subEntries });
    } else if (type === 'linked-folder' && recursive) {
      found.notes.push(`${source}/: skipped, a symlinked folder (kubectl apply -R does not follow it either)`);
    } else if (isManifestName(entry.name) && (type === 'file' || type === undefined)) {
      const file = entryPath(dir, entry.name);
      const text = found.texts.get(file);
      found.files.push(text === undefined ? { file, source } : { file, source, text });
    }
  }
}

function readFoundFiles(found: FoundFiles, options: LoadOptions): ManifestFolder {
  const folder: Reading = { objects: [], findings: [], externalObjects: [], notes: found.notes, files: 0 };
  const contents = (options.readFiles ?? ((files) => files.map(readManifestFile)))(found.files);
  contents.forEach(({ readable, objects, findings, externalObjects }, i) => {
    if (readable) folder.files += 1;
    folder.findings.push(...findings);
    folder.externalObjects.push(...externalObjects);
    for (const object of objects) folder.objects.push({ object, source: found.files[i].source, order: folder.objects.length });
  });
  return folder;
}

/** Everything one manifest file holds; what stands in the way of reading it is a finding. */
export function readManifestFile({ file, source, text: readAlready }: ManifestFile): FileContents {
  const contents: FileContents = { readable: false, bytes: 0, objects: [], findings: [], externalObjects: [] };
  let text: string;
  try {
    text = readAlready ?? fs.readFileSync(file, 'utf8');
  } catch (error) {
    contents.findings.push(fileFinding('manifest-file', source, 'file', `cannot read it: ${(error as Error).message}`));
    return contents;
  }
  try {
    contents.externalObjects.push(...readOutputHeader(text).externalObjects);
  } catch (badHeader) {
    contents.findings.push(fileFinding('manifest-file', source, 'header', `bad habr-k8s header: ${(badHeader as Error).message}`));
  }
  contents.objects.push(...readManifestText(text, source, contents.findings));
  return { ...contents, readable: true, bytes: Buffer.byteLength(text) };
}

/**
 * The objects of a folder (see {@link readManifestFolder}). Findings are collected in `problems`
 * when given; otherwise the first error throws, naming its file.
 */
export function loadManifestFolder(dir: string, problems?: Finding[], options: LoadOptions = {}): SourcedObject[] {
  const folder = readManifestFolder(dir, options);
  if (problems) problems.push(...folder.findings);
  else {
    const error = folder.findings.find((finding) => finding.severity === 'error');
    if (error) throw new Error(`${error.source} ${error.object}: ${error.message}`);
  }
  return folder.objects;
}

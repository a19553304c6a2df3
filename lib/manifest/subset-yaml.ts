/**
 * A fast reader for the YAML that manifests are written in: block mappings and sequences, plain,
 * quoted and block scalars, one-line flow collections, comments and `---` between documents. It
 * reads them as kubectl does (kubectl-yaml.ts: go-yaml v2's scalars, duplicate keys with the last
 * value winning) and notes type changes and duplicate keys with their lines, as load.ts does for
 * the `yaml` package. Anything outside the subset (anchors, aliases, tags, merge keys, multi-line
 * plain or quoted scalars, flow collections over several lines, tabs in indentation, `\r`,
 * directives, every error) makes it return `undefined`, and the caller reads the text with the
 * `yaml` package instead, which then reports what it finds exactly as before. The `yaml` package
 * reads a typical manifest some ten times slower: it builds a full syntax tree, with positions,
 * for every node (test/manifest/subset-yaml.test.ts checks both readers agree).
 */
import { DocumentNotes, DuplicateKey, plainScalarChangesType, resolvePlainScalar } from './kubectl-yaml';

/** The value and notes of one document; `value` is null for an empty document. */
export interface SubsetDocument {
  readonly value: unknown;
  readonly notes: DocumentNotes;
}

/** Thrown inside the reader when the text leaves the subset; never escapes it. */
class OutsideSubset extends Error {}

function outside(): never {
  throw new OutsideSubset();
}

type Path = Array<string | number>;

/** Characters a plain scalar may not start with in block context (besides `-`, `?` and `:` followed by a space). */
const PLAIN_START_FORBIDDEN = new Set(['[', ']', '{', '}', ',', '#', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`']);
const FLOW_INDICATORS = new Set([',', '[', ']', '{', '}']);
/** The end of a line's indentation: one search per line costs less than a loop over its spaces while the reader's code is still cold. */
const NOT_SPACE = /[^ ]/;

class SubsetReader {
  /** The lines of the text, without their line breaks. */
  private readonly lines: string[];
  /** Per line: its indentation, overridden for the rest of a `- ` line once its dash is read. */
  private readonly indents: Int32Array;
  /** Per line: where its content starts (after the indentation, or after a read `- `). */
  private readonly starts: Int32Array;
  private line = 0;
  private notes: DocumentNotes = { typeChanges: [], duplicateKeys: [] };
  /** The keys (and their lines) of the mappings being read, innermost last: a stack, so no mapping allocates its own. */
  private readonly keyNames: string[] = [];
  private readonly keyLines: number[] = [];

  constructor(text: string) {
    this.lines = text.split('\n');
    this.indents = new Int32Array(this.lines.length);
    for (let i = 0; i < this.lines.length; i++) {
      const line = this.lines[i];
      const indent = line.search(NOT_SPACE);
      this.indents[i] = indent < 0 ? line.length : indent;
    }
    this.starts = this.indents.slice();
  }

  documents(): SubsetDocument[] {
    const documents: SubsetDocument[] = [];
    let explicitStart = false;
    while (true) {
      this.skipBlank();
      if (this.line >= this.lines.length) {
        if (explicitStart) documents.push({ value: null, notes: this.takeNotes() });
        return documents;
      }
      const marker = this.marker(this.line);
      if (marker === '---') {
        if (explicitStart) documents.push({ value: null, notes: this.takeNotes() });
        explicitStart = true;
        this.line++;
        continue;
      }
      if (marker === '...') {
        if (explicitStart) documents.push({ value: null, notes: this.takeNotes() });
        explicitStart = false;
        this.line++;
        continue;
      }
      const value = this.blockNode(-1, []);
      this.skipBlank();
      if (this.line < this.lines.length && this.marker(this.line) === undefined) outside();
      documents.push({ value, notes: this.takeNotes() });
      explicitStart = false;
      if (this.line < this.lines.length && this.marker(this.line) === '...') this.line++;
      else if (this.line < this.lines.length) {
        explicitStart = true;
        this.line++;
      }
    }
  }

  private takeNotes(): DocumentNotes {
    const notes = this.notes;
    this.notes = { typeChanges: [], duplicateKeys: [] };
    return notes;
  }

  /** `---` or `...` when the line is a document marker (alone, or before a comment), else undefined. */
  private marker(index: number): '---' | '...' | undefined {
    if (this.starts[index] !== 0) return undefined;
    const text = this.lines[index];
    const first = text.charCodeAt(0);
    // Most lines at column 0 are keys: only "-" or "." can start a marker.
    if (first !== 45 && first !== 46) return undefined;
    const head = text.slice(0, 3);
    if (head !== '---' && head !== '...') return undefined;
    const rest = text.slice(3);
    if (rest.trim() === '') return head;
    if (rest[0] === ' ' && rest.trim().startsWith('#')) return head;
    if (rest[0] === ' ' || rest[0] === '\t') outside(); // content after the marker
    return undefined;
  }

  /** Moves past blank and comment lines; a tab in indentation is outside the subset. */
  private skipBlank(): void {
    while (this.line < this.lines.length) {
      const text = this.lines[this.line];
      const start = this.starts[this.line];
      if (start >= text.length) {
        this.line++;
        continue;
      }
      const first = text[start];
      if (first === '#') {
        this.line++;
        continue;
      }
      if (first === '\t' || first === '\r' || first === '\uFEFF') {
        if (text.slice(start).trim() === '') {
          this.line++;
          continue;
        }
        outside();
      }
      return;
    }
  }

  /** The node starting at the next meaningful line if it is indented more than `parent`, else null. */
  private blockNode(parent: number, path: Path): unknown {
    this.skipBlank();
    if (this.line >= this.lines.length || this.marker(this.line)) return null;
    const indent = this.indents[this.line];
    if (indent <= parent) return null;
    const text = this.lines[this.line];
    const start = this.starts[this.line];
    if (isSequenceEntry(text, start)) return this.sequence(indent, path);
    const first = text[start];
    if (first === '{' || first === '[' || first === '"' || first === "'" || first === '|' || first === '>') {
      if (first === '"' || first === "'") {
        // A quoted key or a quoted scalar: only a key is in the subset here.
        if (!this.isMappingLine(this.line)) outside();
        return this.mapping(indent, path);
      }
      const value = this.inlineValue(text, start, parent, path);
      this.expectEnd(parent);
      return value;
    }
    return this.mapping(indent, path);
  }

  private isMappingLine(index: number): boolean {
    return this.keyEnd(this.lines[index], this.starts[index]) !== undefined;
  }

  private sequence(indent: number, path: Path): unknown[] {
    const items: unknown[] = [];
    while (true) {
      this.skipBlank();
      if (this.line >= this.lines.length || this.marker(this.line)) return items;
      const lineIndent = this.indents[this.line];
      if (lineIndent < indent) return items;
      const text = this.lines[this.line];
      const start = this.starts[this.line];
      if (lineIndent > indent || !isSequenceEntry(text, start)) {
        if (lineIndent === indent) return items; // a key of the mapping this sequence is the value of
        outside();
      }
      path.push(items.length);
      let content = start + 1;
      while (text.charCodeAt(content) === 32) content++;
      if (content >= text.length || text[content] === '#') {
        this.line++;
        items.push(this.blockNode(indent, path));
      } else {
        // The rest of the line is the item, indented where its content starts.
        this.indents[this.line] = content;
        this.starts[this.line] = content;
        items.push(this.itemContent(indent, content, path));
      }
      path.pop();
    }
  }

  /** The item after `- ` on the current line, its content at column `column`. */
  private itemContent(sequenceIndent: number, column: number, path: Path): unknown {
    const text = this.lines[this.line];
    if (isSequenceEntry(text, column)) return this.sequence(column, path);
    if (this.isMappingLine(this.line)) return this.mapping(column, path);
    const value = this.inlineValue(text, column, sequenceIndent, path);
    this.expectEnd(sequenceIndent);
    return value;
  }

  /** After a value that ended its line: the next meaningful line must not be indented more than `parent`. */
  private expectEnd(parent: number): void {
    this.skipBlank();
    if (this.line < this.lines.length && !this.marker(this.line) && this.indents[this.line] > parent) outside();
  }

  /** Where the key of a `key: value` line ends (the index of its `:`), or undefined when the line is no mapping entry. */
  private keyEnd(text: string, start: number): number | undefined {
    const first = text[start];
    if (first === '"' || first === "'") {
      const close = first === '"' ? closingDoubleQuote(text, start) : closingSingleQuote(text, start);
      if (close === undefined) return undefined;
      return text[close + 1] === ':' && (close + 2 >= text.length || text[close + 2] === ' ') ? close + 1 : undefined;
    }
    let colon = text.indexOf(':', start);
    while (colon >= 0 && colon + 1 < text.length && text.charCodeAt(colon + 1) !== 32) colon = text.indexOf(':', colon + 1);
    if (colon < 0) return undefined;
    const comment = text.indexOf(' #', start);
    if (comment >= 0 && comment < colon) return undefined;
    const tab = text.indexOf('\t', start);
    return tab >= 0 && tab < colon ? undefined : colon;
  }

  private mapping(indent: number, path: Path): Record<string, unknown> {
    const map: Record<string, unknown> = {};
    const base = this.keyNames.length;
    let duplicated: string[] | undefined;
    while (true) {
      this.skipBlank();
      if (this.line >= this.lines.length || this.marker(this.line)) break;
      const lineIndent = this.indents[this.line];
      if (lineIndent < indent) break;
      if (lineIndent > indent) outside();
      const text = this.lines[this.line];
      const start = this.starts[this.line];
      if (isSequenceEntry(text, start)) outside();
      const colon = this.keyEnd(text, start);
      if (colon === undefined) outside();
      const lineNumber = this.line + 1;
      const name = this.key(text, start, colon, path, lineNumber);
      if (Object.prototype.hasOwnProperty.call(map, name) && !duplicated?.includes(name)) (duplicated ??= []).push(name);
      this.keyNames.push(name);
      this.keyLines.push(lineNumber);
      path.push(name);
      let valueStart = colon + 1;
      while (text.charCodeAt(valueStart) === 32) valueStart++;
      let value: unknown;
      if (valueStart >= text.length || text[valueStart] === '#') {
        this.line++;
        this.skipBlank();
        // A block sequence may be the value of a key at the key's own indentation.
        const sameIndentSequence = this.line < this.lines.length && !this.marker(this.line) && this.indents[this.line] === indent
          && isSequenceEntry(this.lines[this.line], this.starts[this.line]);
        value = sameIndentSequence ? this.sequence(indent, path) : this.blockNode(indent, path);
      } else {
        value = this.inlineValue(text, valueStart, indent, path);
        this.expectEnd(indent);
      }
      path.pop();
      map[name] = value;
    }
    if (duplicated) {
      // In the order of their first occurrence, as the yaml package's reading lists them.
      const firstIndex = (key: string) => this.keyNames.indexOf(key, base);
      for (const key of duplicated.sort((a, b) => firstIndex(a) - firstIndex(b))) {
        const lines: number[] = [];
        for (let i = base; i < this.keyNames.length; i++) if (this.keyNames[i] === key) lines.push(this.keyLines[i]);
        this.notes.duplicateKeys.push({ path: [...path], key, lines } satisfies DuplicateKey);
      }
    }
    this.keyNames.length = base;
    this.keyLines.length = base;
    return map;
  }

  /** The key of an entry as kubectl names it in JSON, with its type change noted. */
  private key(text: string, start: number, colon: number, path: Path, lineNumber: number): string {
    const first = text[start];
    let name: string;
    if (first === '"') name = doubleQuoted(text, start, colon - 1);
    else if (first === "'") name = text.slice(start + 1, colon - 1).replace(/''/g, "'");
    else {
      const source = text.slice(start, colon).trimEnd();
      if (source === '' || source === '<<' || source[0] === '?' || PLAIN_START_FORBIDDEN.has(source[0]) || (source[0] === '-' && source[1] === ' ')) outside();
      const value = resolvePlainScalar(source);
      if (value === null) outside();
      name = String(value);
      if (plainScalarChangesType(source, value)) this.notes.typeChanges.push({ path: [...path, name], source, value, isKey: true, line: lineNumber });
    }
    if (name === '__proto__') outside();
    return name;
  }

  /** A value that starts on a line after its key or dash, at `start`; the line is consumed (and those of a block scalar). */
  private inlineValue(text: string, start: number, parent: number, path: Path): unknown {
    const first = text[start];
    const lineNumber = this.line + 1;
    if (first === '|' || first === '>') return this.blockScalar(text, start, parent);
    this.line++;
    if (first === '"') {
      const close = closingDoubleQuote(text, start);
      if (close === undefined) outside();
      expectComment(text, close + 1);
      return doubleQuoted(text, start, close);
    }
    if (first === "'") {
      const close = closingSingleQuote(text, start);
      if (close === undefined) outside();
      expectComment(text, close + 1);
      return text.slice(start + 1, close).replace(/''/g, "'");
    }
    if (first === '[' || first === '{') {
      const flow = new FlowReader(text, start, lineNumber, this.notes, path);
      const value = flow.value();
      expectComment(text, flow.position);
      return value;
    }
    return this.plain(text, start, path, lineNumber);
  }

  private plain(text: string, start: number, path: Path, lineNumber: number): unknown {
    const first = text[start];
    if (PLAIN_START_FORBIDDEN.has(first) || ((first === '-' || first === '?' || first === ':') && (start + 1 >= text.length || text[start + 1] === ' '))) outside();
    let end = text.length;
    const comment = text.indexOf(' #', start);
    if (comment >= 0) end = comment;
    const source = text.slice(start, end).trimEnd();
    if (source.includes(': ') || source.endsWith(':') || source.includes('\t')) outside();
    const value = resolvePlainScalar(source);
    if (plainScalarChangesType(source, value)) this.notes.typeChanges.push({ path: [...path], source, value, isKey: false, line: lineNumber });
    return value;
  }

  /** `|`, `|-`, `|+`, `>`, `>-`, `>+` and the lines indented more than `parent` that follow. */
  private blockScalar(text: string, start: number, parent: number): string {
    const folded = text[start] === '>';
    let chomp: 'clip' | 'strip' | 'keep' = 'clip';
    let i = start + 1;
    if (text[i] === '-') chomp = 'strip';
    else if (text[i] === '+') chomp = 'keep';
    if (chomp !== 'clip') i++;
    expectComment(text, i);
    this.line++;
    const content: string[] = [];
    let indent = -1;
    while (this.line < this.lines.length) {
      const line = this.lines[this.line];
      if (this.marker(this.line)) break;
      const lineIndent = this.indents[this.line];
      if (lineIndent >= line.length) {
        // An empty line (spaces only) belongs to the scalar; more spaces than the content's indentation would be content.
        // Spaces past the content's indentation would be content, and leading ones could set it: left to the yaml package.
        if ((indent >= 0 && lineIndent > indent) || (indent < 0 && lineIndent > 0)) outside();
        content.push('');
        this.line++;
        continue;
      }
      if (indent < 0) {
        if (lineIndent <= parent) break;
        indent = lineIndent;
      } else if (lineIndent < indent) break;
      if (line.charCodeAt(lineIndent) === 9 && lineIndent === indent) outside();
      content.push(line.slice(indent));
      this.line++;
    }
    const atEnd = this.line >= this.lines.length;
    if (atEnd && !this.endsWithNewline()) outside();
    // At the end of the text, the last "line" is what follows the final line break: no line at all.
    if (atEnd) content.pop();
    let trailing = 0;
    while (trailing < content.length && content[content.length - 1 - trailing] === '') trailing++;
    const body = content.slice(0, content.length - trailing);
    if (body.length === 0) return chomp === 'keep' ? '\n'.repeat(trailing) : '';
    const joined = folded ? fold(body) : body.join('\n');
    if (chomp === 'strip') return joined;
    return chomp === 'clip' ? `${joined}\n` : `${joined}\n${'\n'.repeat(trailing)}`;
  }

  private endsWithNewline(): boolean {
    return this.lines[this.lines.length - 1] === '';
  }
}

/** Folds the lines of a `>` scalar: a line break between two lines is a space, each empty line a line break. */
function fold(lines: readonly string[]): string {
  let result = '';
  let pendingEmpty = 0;
  let started = false;
  for (const line of lines) {
    if (line === '') {
      pendingEmpty++;
      continue;
    }
    if (line[0] === ' ' || line[0] === '\t') outside(); // more-indented lines keep their breaks: left to the yaml package
    if (!started) result += '\n'.repeat(pendingEmpty);
    else result += pendingEmpty ? '\n'.repeat(pendingEmpty) : ' ';
    result += line;
    pendingEmpty = 0;
    started = true;
  }
  return result;
}

function isSequenceEntry(text: string, start: number): boolean {
  return text[start] === '-' && (start + 1 >= text.length || text[start + 1] === ' ');
}

/** Nothing but spaces and a comment may follow a value on its line. */
function expectComment(text: string, from: number): void {
  let i = from;
  while (text.charCodeAt(i) === 32) i++;
  if (i < text.length && !(text[i] === '#' && i > from)) outside();
}

/** The index of the `"` closing the double-quoted scalar opened at `start`, or undefined when it does not close on the line. */
function closingDoubleQuote(text: string, start: number): number | undefined {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return undefined;
}

function closingSingleQuote(text: string, start: number): number | undefined {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] !== "'") continue;
    if (text[i + 1] === "'") i++;
    else return i;
  }
  return undefined;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\', '"': '"', n: '\n', t: '\t', r: '\r', '0': '\0', ' ': ' ', '/': '/', b: '\b', f: '\f', a: '\x07', v: '\v', e: '\x1b' };
const HEX_ESCAPES: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };

/** The string of the double-quoted scalar from `start` to its closing quote at `close`. */
function doubleQuoted(text: string, start: number, close: number): string {
  const inner = text.slice(start + 1, close);
  if (!inner.includes('\\')) return inner;
  let result = '';
  for (let i = 0; i < inner.length; i++) {
    const char = inner[i];
    if (char !== '\\') {
      result += char;
      continue;
    }
    const escape = inner[++i];
    const simple = SIMPLE_ESCAPES[escape];
    if (simple !== undefined) {
      result += simple;
      continue;
    }
    const digits = HEX_ESCAPES[escape];
    const hex = digits === undefined ? '' : inner.slice(i + 1, i + 1 + digits);
    if (!digits || !/^[0-9a-fA-F]+$/.test(hex) || hex.length !== digits) outside();
    result += String.fromCodePoint(parseInt(hex, 16));
    i += digits;
  }
  return result;
}

/** A flow collection on one line: `[a, "b"]`, `{key: value, other: [1, 2]}`. */
class FlowReader {
  position: number;

  constructor(private readonly text: string, start: number, private readonly lineNumber: number, private readonly notes: DocumentNotes, private readonly path: Path) {
    this.position = start;
  }

  value(): unknown {
    this.spaces();
    const char = this.text[this.position];
    if (char === '[') return this.sequence();
    if (char === '{') return this.mapping();
    if (char === '"') {
      const close = closingDoubleQuote(this.text, this.position);
      if (close === undefined) outside();
      const value = doubleQuoted(this.text, this.position, close);
      this.position = close + 1;
      return value;
    }
    if (char === "'") {
      const close = closingSingleQuote(this.text, this.position);
      if (close === undefined) outside();
      const value = this.text.slice(this.position + 1, close).replace(/''/g, "'");
      this.position = close + 1;
      return value;
    }
    const source = this.plainSource();
    const value = resolvePlainScalar(source);
    if (plainScalarChangesType(source, value)) this.notes.typeChanges.push({ path: [...this.path], source, value, isKey: false, line: this.lineNumber });
    return value;
  }

  private spaces(): void {
    while (this.text.charCodeAt(this.position) === 32) this.position++;
  }

  /** A plain scalar in flow context: up to a flow indicator or `: `. */
  private plainSource(): string {
    const start = this.position;
    const first = this.text[start];
    if (first === undefined || PLAIN_START_FORBIDDEN.has(first) || first === '-' && this.text[start + 1] === ' ' || first === '?' || first === ':') outside();
    while (this.position < this.text.length) {
      const char = this.text[this.position];
      if (FLOW_INDICATORS.has(char)) break;
      if (char === ':' && (this.text[this.position + 1] === ' ' || FLOW_INDICATORS.has(this.text[this.position + 1] ?? ','))) break;
      if (char === '#' && this.text[this.position - 1] === ' ') outside();
      if (char === '\t') outside();
      this.position++;
    }
    const source = this.text.slice(start, this.position).trimEnd();
    if (source === '') outside();
    return source;
  }

  private sequence(): unknown[] {
    this.position++;
    const items: unknown[] = [];
    while (true) {
      this.spaces();
      const char = this.text[this.position];
      if (char === ']') {
        this.position++;
        return items;
      }
      if (char === undefined || char === ',') outside();
      this.path.push(items.length);
      items.push(this.value());
      this.path.pop();
      this.spaces();
      // A `key: value` pair inside a flow sequence is a one-pair mapping: left to the yaml package.
      if (this.text[this.position] === ':') outside();
      this.separator(']');
    }
  }

  private mapping(): Record<string, unknown> {
    this.position++;
    const map: Record<string, unknown> = {};
    const seen = new Map<string, number>();
    const duplicates = new Map<string, number>();
    while (true) {
      this.spaces();
      const char = this.text[this.position];
      if (char === '}') {
        this.position++;
        for (const [key, count] of duplicates) this.notes.duplicateKeys.push({ path: [...this.path], key, lines: Array(count).fill(this.lineNumber) });
        return map;
      }
      if (char === undefined || char === ',') outside();
      const name = this.key();
      seen.set(name, (seen.get(name) ?? 0) + 1);
      if (seen.get(name)! > 1) duplicates.set(name, seen.get(name)!);
      this.spaces();
      if (this.text[this.position] !== ':') outside();
      this.position++;
      this.spaces();
      this.path.push(name);
      const next = this.text[this.position];
      map[name] = next === ',' || next === '}' ? null : this.value();
      this.path.pop();
      this.separator('}');
    }
  }

  private key(): string {
    const char = this.text[this.position];
    if (char === '"' || char === "'") {
      const value = this.value() as string;
      if (value === '__proto__') outside();
      return value;
    }
    if (char === '[' || char === '{') outside();
    const source = this.plainSource();
    const value = resolvePlainScalar(source);
    if (value === null || source === '<<') outside();
    const name = String(value);
    if (name === '__proto__') outside();
    if (plainScalarChangesType(source, value)) this.notes.typeChanges.push({ path: [...this.path, name], source, value, isKey: true, line: this.lineNumber });
    return name;
  }

  private separator(close: string): void {
    this.spaces();
    const char = this.text[this.position];
    if (char === ',') this.position++;
    else if (char !== close) outside();
  }
}

/**
 * The documents of `text` read as kubectl reads them, or `undefined` when the text uses anything
 * outside the subset (then read it with the `yaml` package).
 */
export function readSubsetYaml(text: string): SubsetDocument[] | undefined {
  if (text.charCodeAt(0) === 0xfeff || text.includes('\r') || (text.includes('\t') && /^[ ]*\t/m.test(text))) return undefined;
  try {
    return new SubsetReader(text).documents();
  } catch (error) {
    if (error instanceof OutsideSubset) return undefined;
    throw error;
  }
}

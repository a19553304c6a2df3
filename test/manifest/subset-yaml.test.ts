/**
 * The subset reader against the `yaml` package, read as kubectl reads YAML: on every manifest the
 * repository holds, on hand-written edge cases and on generated documents in many styles, it either
 * gives exactly the values and notes (type changes, duplicate keys, lines) of the `yaml` package, or
 * leaves the text to it.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { DocumentNotes } from '../../lib/manifest/kubectl-yaml';
import { yamlPackageDocuments } from '../../lib/manifest/load';
import { readSubsetYaml } from '../../lib/manifest/subset-yaml';
import { toYamlStream } from '../../lib/manifest/yaml';
import { seededRandom } from '../../bench/public-corpus';

const ROOT = path.join(__dirname, '../..');

/** What the `yaml` package reads, or undefined when a document has an error. */
function packageReading(text: string): { value: unknown; notes: DocumentNotes }[] | undefined {
  const documents = [...yamlPackageDocuments(text)];
  if (documents.some((document) => 'error' in document)) return undefined;
  return documents.map((document) => ('error' in document ? { value: undefined, notes: { typeChanges: [], duplicateKeys: [] } } : { value: document.value, notes: document.notes() }));
}

/** Whether the subset reader read `text`; when it did, its reading must be the package's. */
function agrees(text: string): boolean {
  const subset = readSubsetYaml(text);
  if (subset === undefined) return false;
  expect({ text, reading: subset }).toEqual({ text, reading: packageReading(text) });
  return true;
}

function manifestFilesUnder(folder: string): string[] {
  if (!fs.existsSync(folder)) return [];
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return manifestFilesUnder(full);
    return /\.(ya?ml|json)$/.test(entry.name) ? [full] : [];
  });
}

describe('subset reader', () => {
  it('reads every synthesized output file of the repository, exactly as the yaml package does', () => {
    const files = manifestFilesUnder(path.join(ROOT, 'dist')).filter((file) => !file.includes(`${path.sep}helm${path.sep}`));
    expect(files.length).toBeGreaterThan(10);
    const unread = files.filter((file) => !agrees(fs.readFileSync(file, 'utf8')));
    expect(unread).toEqual([]);
  });

  it('agrees with the yaml package on every fixture and imported CRD it reads', () => {
    const files = [...manifestFilesUnder(path.join(ROOT, 'test/fixtures')), ...manifestFilesUnder(path.join(ROOT, 'imports'))];
    const read = files.filter((file) => agrees(fs.readFileSync(file, 'utf8')));
    expect(read.length).toBeGreaterThan(0);
  });

  const cases: [string, string][] = [
    ['kubectl scalars', 'a: on\nb: 0755\nc: 1_000\nd: 1:30\ne: 1e3\nf: y\ng: 2024-01-02\nh: 0x1F\ni: "on"\nj: 08\nk: ~\noff: x\nl: .inf\nm: -.5\nn: +12\n'],
    ['nested blocks, sequences at the key\'s indentation and compact mappings', 'spec:\n  ports:\n  - name: http\n    port: 80\n  -   name: tcp\n      port: 81\n  items:\n    - - a\n      - b\n    -\n      c: d\n    - \n'],
    ['comments and blank lines everywhere', '# head\n\na: b # trailing\n  # indented comment\n\nc:   # a null\nd: "x" # after quote\ne: x#not-a-comment\n'],
    ['quoted scalars and keys', 'a: "tab\\there \\u00e9 \\x41 \\\\ \\" \\/"\nb: \'it\'\'s\'\n"quoted key": 1\n\'single key\': 2\nc: ""\nd: \'\'\n'],
    ['block scalars with every chomping', 'a: |\n  line 1\n    indented\n\n  line 3\nb: |-\n  stripped\nc: |+\n  kept\n\nd: >\n  folded\n  text\n\n  para\ne: >-\n  x\nf: |\ng: 1\n'],
    ['block scalar in a sequence and at the end', 'list:\n- |\n  first\n- >-\n  second\nlast: |\n  tail\n\n\n'],
    ['one-line flow collections', 'a: [1, "two", \'three\', on, [x, y], {k: v}]\nb: {a: 1, "b": [], c: {}, d: , e: null}\nc: []\nd: {}\n'],
    ['multiple documents and markers', '---\na: 1\n---\n# only a comment\n---\nb: 2\n...\n---\nc: 3\n--- # comment\nd: 4\n'],
    ['duplicate keys, block and flow', 'a: 1\nb: {x: 1, x: 2, y: 3, y: 4}\na: 2\nc:\n  d: 1\n  d: [1]\n'],
    ['keys kubectl reads as other types', 'data:\n  yes: 1\n  0x10: a\n  1e3: b\n  on: c\n'],
    ['no final line break', 'a: b\nc: |\n  x'],
    ['a JSON document', '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}, "data": {"a": "1", "b": "true"}}\n'],
  ];
  it.each(cases)('agrees on %s (or leaves it to the yaml package)', (_name, text) => {
    const subset = readSubsetYaml(text);
    if (subset) expect(subset).toEqual(packageReading(text));
    else expect(packageReading(text)).not.toBeUndefined();
  });

  it('reads the common cases itself', () => {
    expect(cases.filter(([, text]) => readSubsetYaml(text) === undefined).map(([name]) => name)).toEqual(['no final line break']);
  });

  const outsideSubset: [string, string][] = [
    ['an anchor and alias', 'a: &x 1\nb: *x\n'],
    ['a merge key', 'a: {x: 1}\nb:\n  <<: {x: 2}\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a multi-line plain scalar', 'a: one\n  two\n'],
    ['a multi-line quoted scalar', 'a: "one\n  two"\n'],
    ['a multi-line flow collection', 'a: [1,\n  2]\n'],
    ['a tab in indentation', 'a:\n\tb: 1\n'],
    ['Windows line breaks', 'a: 1\r\nb: 2\r\n'],
    ['a directive', '%YAML 1.1\n---\na: 1\n'],
    ['a complex key', '? a\n: b\n'],
    ['a nested mapping on one line (an error)', 'a: b: c\n'],
    ['a bad indentation (an error)', 'a:\n    b: 1\n  c: 2\n'],
    ['a block scalar with an indentation indicator', 'a: |2\n   x\n'],
    ['a folded scalar with more-indented lines', 'a: >\n  x\n    y\n'],
    ['a document that is a scalar', 'just text\n'],
  ];
  it.each(outsideSubset)('leaves %s to the yaml package', (_name, text) => {
    expect(readSubsetYaml(text)).toBeUndefined();
  });

  // A failure names the seed that reproduces it.
  describe('on generated documents', () => {
    const SCALARS = ['on', 'off', 'yes', 'y', 'n', 'true', 'False', '~', 'null', '0755', '08', '1_000', '0x1F', '1e3', '.5', '-.inf', '.nan', '1:30', '2024-01-02',
      'plain text', 'a#b', 'http://x:80/y', '-1', '+2', '3.0', '', ' lead', 'trail ', 'quote"d', "it's", 'line\nbreak', 'tab\there', 'é ü', '- dash', '? q', ': c', '@at', '%pct', '{brace}', '[bracket]', 'key: value', '#hash'];

    function value(next: () => number, depth: number): unknown {
      const pick = next();
      if (depth > 3 || pick < 0.45) {
        const kind = next();
        if (kind < 0.6) return SCALARS[Math.floor(next() * SCALARS.length)];
        if (kind < 0.8) return Math.floor(next() * 100000) - 50000;
        if (kind < 0.9) return next() < 0.5;
        return null;
      }
      if (pick < 0.7) return Array.from({ length: Math.floor(next() * 4) }, () => value(next, depth + 1));
      const map: Record<string, unknown> = {};
      for (let i = Math.floor(next() * 5); i > 0; i--) map[SCALARS[Math.floor(next() * SCALARS.length)] || 'k'] = value(next, depth + 1);
      return map;
    }

    const STYLES: [string, (documents: unknown[]) => string][] = [
      ['toYamlStream', (documents) => toYamlStream(documents)],
      ['yaml.stringify', (documents) => documents.map((document) => YAML.stringify(document)).join('---\n')],
      ['yaml.stringify 1.1, flow collections', (documents) => documents.map((document) => YAML.stringify(document, { version: '1.1', collectionStyle: 'flow', lineWidth: 0 })).join('---\n')],
      ['yaml.stringify, double-quoted and indented sequences', (documents) => documents.map((document) => YAML.stringify(document, { defaultStringType: 'QUOTE_DOUBLE', indentSeq: true, lineWidth: 0 })).join('---\n')],
      ['yaml.stringify, literal block strings', (documents) => documents.map((document) => YAML.stringify(document, { blockQuote: 'literal', indent: 4, lineWidth: 0 })).join('...\n')],
      ['JSON lines', (documents) => documents.map((document) => JSON.stringify(document)).join('\n---\n')],
    ];

    it.each(STYLES)('agree in style %s on 300 generated files', (_style, write) => {
      let read = 0;
      for (let seed = 1; seed <= 300; seed++) {
        const next = seededRandom(seed);
        const documents = Array.from({ length: 1 + Math.floor(next() * 3) }, () => ({ apiVersion: 'v1', kind: 'ConfigMap', data: value(next, 0) }));
        const text = write(documents);
        const subset = readSubsetYaml(text);
        if (subset === undefined) continue;
        read++;
        expect({ seed, text, reading: subset }).toEqual({ seed, text, reading: packageReading(text) });
      }
      // Most generated files stay in the subset, so the comparison is not vacuous.
      expect(read).toBeGreaterThan(150);
    });

    it('agree when unquoted YAML 1.1 scalars, duplicate keys, comments and blank lines are written into the text', () => {
      let read = 0;
      for (let seed = 1; seed <= 300; seed++) {
        const next = seededRandom(seed);
        const lines = toYamlStream([{ apiVersion: 'v1', kind: 'ConfigMap', data: value(next, 0), spec: value(next, 0) }]).split('\n');
        const edited = lines.flatMap((line) => {
          const roll = next();
          if (roll < 0.05) return [line, ''];
          if (roll < 0.1) return [line, `${' '.repeat(Math.floor(next() * 6))}# comment`];
          if (roll < 0.2 && /^\s*[\w-]+: \S/.test(line)) return [line.replace(/: .*$/, `: ${SCALARS[Math.floor(next() * 19)] || 'x'}`)];
          if (roll < 0.25 && /^\s*[\w-]+: \S/.test(line)) return [line, line];
          return [line];
        });
        const text = edited.join('\n');
        if (!agrees(text)) continue;
        read++;
      }
      expect(read).toBeGreaterThan(150);
    });
  });
});

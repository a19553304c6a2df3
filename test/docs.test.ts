import * as fs from 'fs';
import * as path from 'path';

const REPO = path.resolve(__dirname, '..');

/** The Markdown a reader follows links through: the README and every page of docs/ (docs/api/ is generated). */
function markdownFiles(): string[] {
  const docs = fs.readdirSync(path.join(REPO, 'docs')).filter((name) => name.endsWith('.md')).map((name) => path.join('docs', name));
  return ['README.md', ...docs.sort()];
}

/** The text outside fenced code blocks, line by line (code shows links, it does not make them). */
function proseLines(markdown: string): string[] {
  let fenced = false;
  return markdown.split('\n').map((line) => {
    if (/^\s*```/.test(line)) {
      fenced = !fenced;
      return '';
    }
    return fenced ? '' : line;
  });
}

/** GitHub's anchor for a heading: its text lower-cased, punctuation dropped, spaces as hyphens; repeats get -1, -2, … */
function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of proseLines(markdown)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const text = heading[1].replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/[`*]/g, '');
    const slug = text.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** Every relative link of `file` (a path from the repo root) that names no existing file or no heading of it. */
function brokenLinks(file: string, read: (file: string) => string | undefined): string[] {
  const markdown = read(file);
  if (markdown === undefined) throw new Error(`${file} does not exist`);
  const broken: string[] = [];
  proseLines(markdown).forEach((line, index) => {
    const withoutCode = line.replace(/`[^`]*`/g, '');
    for (const [, target] of withoutCode.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
      const [linkPath, anchor] = target.split('#', 2);
      const targetFile = linkPath === '' ? file : path.normalize(path.join(path.dirname(file), linkPath));
      const where = `${file}:${index + 1}: ${target}`;
      const targetText = read(targetFile);
      if (targetText === undefined) broken.push(`${where} (no file ${targetFile})`);
      else if (anchor !== undefined && !headingAnchors(targetText).has(anchor)) broken.push(`${where} (no heading #${anchor} in ${targetFile})`);
    }
  });
  return broken;
}

function readFromRepo(file: string): string | undefined {
  const full = path.join(REPO, file);
  if (!fs.existsSync(full)) return undefined;
  return fs.statSync(full).isDirectory() ? '' : fs.readFileSync(full, 'utf8');
}

describe('links in the README and docs/', () => {
  test('the README and the docs index link every page of docs/ but the diagrams', () => {
    const pages = markdownFiles().filter((file) => file.startsWith('docs/'));
    const index = fs.readFileSync(path.join(REPO, 'docs/README.md'), 'utf8');
    const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
    expect(pages.filter((page) => page !== 'docs/README.md' && !index.includes(`](${path.basename(page)}`))).toEqual([]);
    expect(readme).toContain('](docs/README.md)');
  });

  test.each(markdownFiles())('every relative link of %s points to an existing file and heading', (file) => {
    expect(brokenLinks(file, readFromRepo)).toEqual([]);
  });

  test('a link to a missing file or heading is reported, one to a heading of the same or another page is not', () => {
    const pages: Record<string, string> = {
      'README.md': '# Quick start\n\n## Blue/green (prod: backend and frontend)\n\n'
        + 'See [a](docs/a.md), [b](docs/a.md#the-step-habr-k8s-synth), [c](#bluegreen-prod-backend-and-frontend), '
        + '[d](https://example.com/x), `[e](nowhere.md)`.\n\n```\n[f](nowhere.md)\n```\n'
        + 'Broken: [g](docs/missing.md), [h](docs/a.md#no-such-heading), [i](#quick-start-1).\n',
      'docs/a.md': '# The step `habr-k8s synth`\n\nBack to [the README](../README.md#quick-start).\n',
    };
    const read = (file: string): string | undefined => pages[file];
    expect(brokenLinks('docs/a.md', read)).toEqual([]);
    expect(brokenLinks('README.md', read)).toEqual([
      'README.md:10: docs/missing.md (no file docs/missing.md)',
      'README.md:10: docs/a.md#no-such-heading (no heading #no-such-heading in docs/a.md)',
      'README.md:10: #quick-start-1 (no heading #quick-start-1 in README.md)',
    ]);
  });

  test('anchors follow GitHub: punctuation dropped, repeated headings numbered', () => {
    expect([...headingAnchors('# Gateway API: imports/ and the CRDs\n## Notes\n### Notes\n## `habr-k8s` in brief')])
      .toEqual(['gateway-api-imports-and-the-crds', 'notes', 'notes-1', 'habr-k8s-in-brief']);
  });
});

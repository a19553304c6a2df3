/**
 * Stops a writer with SIGKILL at every step of its commit (HABR_SYNTH_CRASH_AT, see
 * lib/output/crash-point.ts), in child processes over a temporary project, and checks what a user
 * finds: each part of the output whole, the old or the new, the manifest folder never a mix; and
 * after the next command, all of it old or all of it new, with nothing left behind.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatWrittenRecord, WRITTEN_RECORD } from '../../lib/output/written-record';
import { drive, readTree, Tree, writePlan } from './commit-helpers';

const USER_FILES: Tree = { 'my-extra.yaml': 'kind: Mine\n', 'prod/00-p.yaml': 'kind: Prod\n', [`prod/${WRITTEN_RECORD}`]: formatWrittenRecord(['00-p.yaml']) };
const OLD_MANIFESTS: Tree = { '00-a.yaml': 'kind: A\nversion: old\n', '01-b.yaml': 'kind: B\nversion: old\n', '07-gone.yaml': 'kind: Gone\n' };
const NEW_MANIFESTS: Tree = { '00-a.yaml': 'kind: A\nversion: new\n', '01-b.yaml': 'kind: B\nversion: new\n', '02-c.yaml': 'kind: C\n' };

function folderWith(manifests: Tree): Tree {
  return { ...manifests, [WRITTEN_RECORD]: formatWrittenRecord(Object.keys(manifests)), ...USER_FILES };
}

const OLD = { dist: folderWith(OLD_MANIFESTS), diagram: '# old diagram\n', index: '# docs\n<!-- old -->\n' };
const NEW = { dist: folderWith(NEW_MANIFESTS), diagram: '# new diagram\n', index: '# docs\n<!-- new -->\n' };

interface Project {
  readonly root: string;
  readonly plan: string;
  readonly workDir: string;
}

function newProject(): Project {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'commit-crash-'));
  const workDir = path.join(root, '.habr-k8s');
  const commit = {
    folder: path.join(root, 'dist'),
    files: Object.entries(NEW_MANIFESTS).map(([file, content]) => ({ file, content })),
    documents: [{ file: path.join(root, 'docs/architecture.md'), content: NEW.diagram }, { file: path.join(root, 'docs/index.md'), content: NEW.index }],
  };
  return { root, plan: writePlan({ commit, workDir }), workDir };
}

/** Puts the old output back: the state every run starts from. */
function resetToOld({ root }: Project): void {
  for (const entry of fs.readdirSync(root)) fs.rmSync(path.join(root, entry), { recursive: true, force: true });
  for (const [file, content] of Object.entries(OLD.dist)) {
    fs.mkdirSync(path.dirname(path.join(root, 'dist', file)), { recursive: true });
    fs.writeFileSync(path.join(root, 'dist', file), content);
  }
  fs.mkdirSync(path.join(root, 'docs'));
  fs.writeFileSync(path.join(root, 'docs/architecture.md'), OLD.diagram);
  fs.writeFileSync(path.join(root, 'docs/index.md'), OLD.index);
}

type Generation = 'old' | 'new' | 'absent';

/** Which output each part of the project holds; throws when one is neither the old nor the new (a mix, or cut short). */
function generations({ root }: Project): { dist: Generation; diagram: Generation; index: Generation } {
  const canonical = (value: unknown) => JSON.stringify(value, typeof value === 'object' ? Object.keys(value as Tree).sort() : undefined);
  const which = (actual: unknown, old: unknown, fresh: unknown, what: string): Generation => {
    if (actual === undefined) return 'absent';
    if (canonical(actual) === canonical(old)) return 'old';
    if (canonical(actual) === canonical(fresh)) return 'new';
    throw new Error(`${what} is neither the old nor the new output: ${JSON.stringify(actual)}`);
  };
  const read = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined);
  return {
    dist: which(readTree(path.join(root, 'dist')), OLD.dist, NEW.dist, 'dist/'),
    diagram: which(read(path.join(root, 'docs/architecture.md')), OLD.diagram, NEW.diagram, 'docs/architecture.md'),
    index: which(read(path.join(root, 'docs/index.md')), OLD.index, NEW.index, 'docs/index.md'),
  };
}

/** The next command has run: one whole output, and nothing but it in the project. */
function expectRecovered(project: Project): Generation {
  const found = generations(project);
  expect([found.dist, found.diagram, found.index]).toEqual(Array(3).fill(found.dist));
  expect(found.dist).not.toBe('absent');
  expect(fs.readdirSync(project.root).sort()).toEqual(['dist', 'docs']);
  expect(fs.readdirSync(path.join(project.root, 'docs')).sort()).toEqual(['architecture.md', 'index.md']);
  return found.dist;
}

describe('a writer killed at any step of its commit', () => {
  const project = newProject();
  afterAll(() => fs.rmSync(project.root, { recursive: true, force: true }));
  /** The first step after which the journal exists and nothing is renamed yet: a recovery from there has all the work. */
  let committed = 0;

  test('leaves each part whole, and the next command makes it one output again', () => {
    const seen: string[] = [];
    let steps = 0;
    for (let n = 1; ; n++) {
      resetToOld(project);
      const run = drive([project.plan], n);
      if (run.status === 0) break;
      expect(run.signal).toBe('SIGKILL');
      steps = n;
      const found = generations(project);
      if (!committed && fs.existsSync(path.join(project.workDir, 'journal.json'))) committed = n;
      // Visible between the two folder renames only; the journal makes the next command finish the swap.
      if (found.dist === 'absent') expect(fs.existsSync(path.join(project.workDir, 'journal.json'))).toBe(true);
      const recover = drive(['--recover', project.workDir]);
      expect(recover.stderr).toBe('');
      expect(recover.status).toBe(0);
      const after = expectRecovered(project);
      seen.push(`${found.dist}/${found.diagram}/${found.index} → ${after}`);
    }
    expect(steps).toBeGreaterThan(10);
    // Every kind of interruption was met: before the commit point, mid-swap, between the parts, and after.
    expect(new Set(seen)).toEqual(new Set(['old/old/old → old', 'old/old/old → new', 'absent/old/old → new', 'new/old/old → new', 'new/new/old → new', 'new/new/new → new']));
    expect(generations(project)).toEqual({ dist: 'new', diagram: 'new', index: 'new' });
  });

  test('and a recovery killed at any step is finished by the next one', () => {
    expect(committed).toBeGreaterThan(0);
    for (let n = 1; ; n++) {
      resetToOld(project);
      drive([project.plan], committed);
      const recover = drive(['--recover', project.workDir], n);
      if (recover.status === 0) break;
      expect(recover.signal).toBe('SIGKILL');
      generations(project);
      expect(drive(['--recover', project.workDir]).status).toBe(0);
      expect(expectRecovered(project)).toBe('new');
    }
  });
});

import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const LIB = path.join(__dirname, '..', 'lib');

function libFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return libFiles(file);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [file] : [];
  });
}

/** Every lib/ module each lib/ module imports or re-exports, type-only imports included, resolved as tsc resolves them. */
function importGraph(files: readonly string[]): Map<string, string[]> {
  const options: ts.CompilerOptions = { module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, resolveJsonModule: true };
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
    const targets = importedFiles
      .map(({ fileName }) => ts.resolveModuleName(fileName, file, options, ts.sys).resolvedModule?.resolvedFileName)
      .filter((target): target is string => target !== undefined && target.startsWith(LIB + path.sep) && target.endsWith('.ts'));
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** Each cycle once, as the list of modules from its first file back to it. */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const done = new Set<string>();
  const stack: string[] = [];
  const visit = (file: string): void => {
    const onStack = stack.indexOf(file);
    if (onStack >= 0) {
      found.push([...stack.slice(onStack), file].map((f) => path.relative(LIB, f)));
      return;
    }
    if (done.has(file)) return;
    stack.push(file);
    for (const target of graph.get(file) ?? []) visit(target);
    stack.pop();
    done.add(file);
  };
  for (const file of [...graph.keys()].sort()) visit(file);
  return found;
}

describe('lib/ has no import cycle', () => {
  const graph = importGraph(libFiles(LIB));

  test('the walk sees the imports (index.ts re-exports the constructs, workloads import their connections)', () => {
    expect(graph.get(path.join(LIB, 'index.ts'))).toContain(path.join(LIB, 'constructs', 'web-app.ts'));
    expect(graph.get(path.join(LIB, 'constructs', 'workload.ts'))).toContain(path.join(LIB, 'constructs', 'connections.ts'));
    expect(graph.get(path.join(LIB, 'constructs', 'connections.ts'))).toContain(path.join(LIB, 'constructs', 'pod-target.ts'));
  });

  test('no module imports itself through others', () => {
    expect(cycles(graph)).toEqual([]);
  });

  test('a cycle is found when there is one', () => {
    const a = path.join(LIB, 'a.ts');
    const b = path.join(LIB, 'b.ts');
    expect(cycles(new Map([[a, [b]], [b, [a]]]))).toEqual([['a.ts', 'b.ts', 'a.ts']]);
  });
});

/**
 * The floors of lib/, lowest first: a module imports only from its own floor or lower ones.
 * Plain manifests (and the errors every layer throws) at the bottom, then the checks on them and the
 * durable output commit, the constructs, rendering an App, the tools built on rendered objects
 * (diff, compose import), the deploy engine on a live cluster, the public index, and the command line on top.
 */
const FLOORS: readonly (readonly string[])[] = [
  ['errors.ts', 'manifest'],
  ['validation', 'output'],
  ['constructs'],
  ['render'],
  ['diff', 'compose'],
  ['deploy'],
  ['index.ts'],
  ['cli'],
];

function floorOf(file: string): number {
  const top = path.relative(LIB, file).split(path.sep)[0];
  const floor = FLOORS.findIndex((names) => names.includes(top));
  if (floor < 0) throw new Error(`${path.relative(LIB, file)} is on no floor of lib/: add its folder to FLOORS`);
  return floor;
}

function arrowsUp(graph: Map<string, string[]>): string[] {
  return [...graph].flatMap(([file, targets]) => targets
    .filter((target) => floorOf(target) > floorOf(file))
    .map((target) => `${path.relative(LIB, file)} -> ${path.relative(LIB, target)}`));
}

describe('lib/ is built in floors', () => {
  const graph = importGraph(libFiles(LIB));

  test('every module is on a floor', () => {
    expect(() => [...graph.keys()].forEach(floorOf)).not.toThrow();
  });

  test('no module imports from a higher floor', () => {
    expect(arrowsUp(graph)).toEqual([]);
  });

  test('an import from a higher floor is found', () => {
    const low = path.join(LIB, 'manifest', 'objects.ts');
    const high = path.join(LIB, 'constructs', 'web-app.ts');
    expect(arrowsUp(new Map([[low, [high]], [high, [low]]]))).toEqual(['manifest/objects.ts -> constructs/web-app.ts']);
  });
});

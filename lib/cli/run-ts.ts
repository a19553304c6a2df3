/**
 * Runs a TypeScript entry point without a type check, for the bin (`habr-k8s synth` runs a
 * project's main.ts) and this repository's scripts. esbuild bundles the entry with the project
 * files it imports (packages stay in node_modules), so Node compiles one file instead of loading
 * each module on its own, which was about as slow as loading cdk8s and cdk8s-plus-27 together.
 *
 * The bundle is cached in {@link cacheDirFor} (`TS_RUN_CACHE_DIR` overrides it), keyed by esbuild's
 * version, the options and the entry's path; it lists every input file with the hash of its source
 * and is rebuilt when one of them changed. Each module keeps its own __dirname and __filename; JSON
 * files stay separate files, read when required. A .ts file required at run time from outside the
 * bundle has its types stripped on its own, cached the same way. Each entry starts with a hash of
 * its contents and is checked when read: a truncated or edited entry is discarded and rebuilt.
 *
 * Given a code cache name (the bin passes its command), {@link loadEntry} also keeps V8's compiled
 * code of the bundle after a run (`<key>.v8`, keyed by the bundle's hash and that name, since each
 * command compiles other functions) and hands it to V8 on the next run, which then skips parsing
 * and compiling them: about 60 ms of CPU of `habr-k8s validate` on a small folder.
 *
 * This file imports no other file of this package: bin/habr-k8s.js compiles it alone in a checkout.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import Module = require('module');
import * as os from 'os';
import * as path from 'path';
import * as vm from 'vm';
import type * as esbuildApi from 'esbuild';

const CACHE_VERSION = '3';
const TRANSFORM_OPTIONS: esbuildApi.TransformOptions = { loader: 'ts', format: 'cjs', target: 'node18', sourcemap: 'inline' };

/** The module internals a runner needs: Node's Module class as its own code uses it. */
interface NodeModule extends Module {
  _compile(code: string, filename: string): void;
  paths: string[];
  loaded: boolean;
}
interface ModuleClass {
  new (id: string, parent: null): NodeModule;
  _nodeModulePaths(folder: string): string[];
  _extensions: Record<string, (module: NodeModule, filename: string) => void>;
}
const ModuleInternals = Module as unknown as ModuleClass;

let esbuild: typeof esbuildApi | undefined;
function loadEsbuild(): typeof esbuildApi {
  esbuild ??= require('esbuild') as typeof esbuildApi;
  return esbuild;
}

function sha256(data: string | Uint8Array): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

/**
 * Where the bundles of `entry` are cached: `node_modules/.cache/habr-k8s` of the closest folder
 * above it that has a `node_modules`, else a folder of this user in the system's temporary folder.
 */
export function cacheDirFor(entry: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.TS_RUN_CACHE_DIR) return path.resolve(env.TS_RUN_CACHE_DIR);
  for (let folder = path.dirname(path.resolve(entry)); ; folder = path.dirname(folder)) {
    if (fs.existsSync(path.join(folder, 'node_modules'))) return path.join(folder, 'node_modules', '.cache', 'habr-k8s');
    if (path.dirname(folder) === folder) return path.join(os.tmpdir(), `habr-k8s-cache-${os.userInfo().uid}`);
  }
}

/** Whether this process can create files in `dir` (made if missing). */
function canWrite(dir: string): boolean {
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.accessSync(dir, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** The hash-checked entries of one cache folder, written through a temporary file each. */
class Cache {
  /** Entries being written, named `<key>.<pid>.tmp`; those of dead processes are swept at start. */
  private readonly temporaryDir: string;
  private readonly salt: string;

  constructor(public readonly dir: string) {
    this.temporaryDir = path.join(dir, 'tmp');
    // What besides a file's name and source decides its JavaScript; esbuild's version is read without loading esbuild.
    const { version } = JSON.parse(fs.readFileSync(require.resolve('esbuild/package.json'), 'utf8')) as { version: string };
    this.salt = `${CACHE_VERSION}\0esbuild ${version}\0${JSON.stringify(TRANSFORM_OPTIONS)}\0${JSON.stringify(bundleOptions())}`;
    this.sweepDeadTemporaries();
  }

  key(...parts: string[]): string {
    return sha256([this.salt, ...parts].join('\0'));
  }

  /** The code of a cache entry, or undefined when it is missing or does not match the hash it starts with. */
  read(key: string): string | undefined {
    return this.readHashed(key)?.code;
  }

  /** The code of a cache entry and its hash (the entry's first line), or undefined as {@link read}. */
  readHashed(key: string): { code: string; hash: string } | undefined {
    const file = path.join(this.dir, `${key}.js`);
    let entry: Buffer;
    try {
      entry = fs.readFileSync(file);
    } catch {
      return undefined;
    }
    // The bytes are hashed as read: hashing the decoded code would encode it again (a bundle with one
    // character outside ASCII decodes to a string of two bytes a character).
    const hash = entry.toString('latin1', 0, 64);
    if (entry[64] === 10 && hash === sha256(entry.subarray(65))) return { code: entry.toString('utf8', 65), hash };
    try {
      fs.rmSync(file, { force: true });
    } catch {
      // A cache folder this user cannot write to: the entry is ignored, and replaced by whoever can.
    }
    return undefined;
  }

  write(key: string, code: string): void {
    this.writeFile(key, 'js', `${sha256(code)}\n${code}`);
  }

  /**
   * V8's code cache of the source whose hash is `sourceHash`, or undefined when it is missing, was
   * made for another source or does not match its own hash. V8 checks only the length of the source
   * a cache was made for (and its own version and flags), and not the data's checksum: both are checked here.
   */
  readCodeCache(key: string, sourceHash: string): Buffer | undefined {
    let entry: Buffer;
    try {
      entry = fs.readFileSync(path.join(this.dir, `${key}.v8`));
    } catch {
      return undefined;
    }
    const data = entry.subarray(130);
    const header = entry.toString('latin1', 0, 130);
    return header === `${sourceHash}\n${sha256(data)}\n` ? data : undefined;
  }

  writeCodeCache(key: string, sourceHash: string, data: Buffer): void {
    this.writeFile(key, 'v8', Buffer.concat([Buffer.from(`${sourceHash}\n${sha256(data)}\n`, 'latin1'), data]));
  }

  private writeFile(key: string, extension: 'js' | 'v8', content: string | Buffer): void {
    try {
      fs.mkdirSync(this.temporaryDir, { recursive: true });
      const temporary = path.join(this.temporaryDir, `${key}.${process.pid}.tmp`);
      fs.writeFileSync(temporary, content);
      fs.renameSync(temporary, path.join(this.dir, `${key}.${extension}`));
    } catch {
      // A read-only or full disk only costs the next run a recompile.
    }
  }

  private sweepDeadTemporaries(): void {
    let names: string[];
    try {
      names = fs.readdirSync(this.temporaryDir);
    } catch {
      return;
    }
    for (const name of names) {
      const pid = Number(name.split('.')[1]);
      if (pid !== process.pid && !isAlive(pid)) fs.rmSync(path.join(this.temporaryDir, name), { force: true });
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// The bundle carries a source map only for DEBUG runs, the ones that print stack traces: it would triple its size.
function bundleOptions(): esbuildApi.BuildOptions {
  return { bundle: true, packages: 'external', platform: 'node', format: 'cjs', target: 'node18', sourcemap: process.env.DEBUG ? 'inline' : false };
}

const caches = new Map<string, Cache>();
function cacheFor(entry: string): Cache {
  const dir = cacheDirFor(entry);
  let cache = caches.get(dir);
  if (!cache) caches.set(dir, (cache = new Cache(dir)));
  return cache;
}

/** Lets `require` load a .ts file outside a bundle: its types stripped on its own, cached. */
function registerTsExtension(cache: Cache): void {
  if (ModuleInternals._extensions['.ts']) return;
  ModuleInternals._extensions['.ts'] = (module, filename) => {
    const source = fs.readFileSync(filename, 'utf8');
    const key = cache.key(filename, source);
    let code = cache.read(key);
    if (code === undefined) {
      code = loadEsbuild().transformSync(source, { ...TRANSFORM_OPTIONS, sourcefile: filename }).code;
      cache.write(key, code);
    }
    module._compile(code, filename);
  };
}

/** An input of a bundle: its file, the hash of the source bundled, and the file's {@link fileSignature} when it was hashed. */
type BundleInput = [file: string, hash: string, signature?: string];

/**
 * What changes whenever a file is written, without reading it: its size, modification and change
 * times and inode (the change time cannot be set back, so an edit that keeps the size and resets
 * the modification time still shows). Undefined for a missing file.
 */
function fileSignature(file: string): string | undefined {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  return stat && `${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}:${stat.ino}`;
}

/**
 * Whether every input of a bundle still has the source it was built from: an input whose file has
 * its recorded signature is taken as unchanged without reading it; any other is read and hashed.
 * Returns the inputs with fresh signatures when all are unchanged, `touched` when one of those
 * differs from the recorded one (a file written again with the same source), else undefined.
 */
function checkInputs(inputs: unknown): { inputs: BundleInput[]; touched: boolean } | undefined {
  if (!Array.isArray(inputs)) return undefined;
  const checked: BundleInput[] = [];
  let touched = false;
  for (const [file, hash, signature] of inputs as BundleInput[]) {
    // The signature is taken before the file is read: a write after it shows as a new signature next time.
    const current = fileSignature(file);
    if (current === undefined) return undefined;
    if (current !== signature) {
      try {
        if (sha256(fs.readFileSync(file, 'utf8')) !== hash) return undefined;
      } catch {
        return undefined;
      }
      touched = true;
    }
    checked.push([file, hash, current]);
  }
  return { inputs: checked, touched };
}

/** Gives every bundled module the __dirname and __filename of its own file, and leaves JSON files to be read at run time. */
const modulePathsPlugin: esbuildApi.Plugin = {
  name: 'module-paths',
  setup(build) {
    build.onResolve({ filter: /\.json$/ }, (args) => {
      if (args.kind !== 'require-call' && args.kind !== 'import-statement') return undefined;
      if (!args.path.startsWith('.') && !path.isAbsolute(args.path)) return undefined;
      return { path: path.resolve(args.resolveDir, args.path), external: true };
    });
    build.onLoad({ filter: /\.[jt]s$/ }, (args) => {
      const source = fs.readFileSync(args.path, 'utf8');
      const loader = args.path.endsWith('.ts') ? 'ts' : 'js';
      if (!/\b__(dirname|filename)\b/.test(source)) return { contents: source, loader };
      // On the first line, so that line numbers stay those of the source; a hashbang there becomes a comment after them.
      const paths = `var __dirname = ${JSON.stringify(path.dirname(args.path))}, __filename = ${JSON.stringify(args.path)}; `;
      return { contents: paths + (source.startsWith('#!') ? `//${source}` : source), loader };
    });
  },
};

/** Thrown when esbuild cannot bundle an entry: one problem per line, each naming the file, line and what is wrong. */
export class BundleError extends Error {
  constructor(public readonly problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'BundleError';
  }
}

async function buildBundle(entry: string): Promise<{ inputs: BundleInput[]; code: string }> {
  let result: esbuildApi.BuildResult & { metafile: esbuildApi.Metafile; outputFiles: esbuildApi.OutputFile[] };
  try {
    result = await loadEsbuild().build({
      ...bundleOptions(),
      entryPoints: [entry],
      absWorkingDir: path.dirname(entry),
      write: false,
      metafile: true,
      logLevel: 'silent',
      plugins: [modulePathsPlugin],
    });
  } catch (error) {
    const failure = error as esbuildApi.BuildFailure;
    const lines = (failure.errors ?? []).map((message) => {
      const where = message.location ? `${path.relative(process.cwd(), path.resolve(path.dirname(entry), message.location.file))}:${message.location.line}:${message.location.column}: ` : '';
      return `${where}${message.text}`;
    });
    throw new BundleError(lines.length ? lines : [(error as Error).message]);
  }
  const inputs = Object.keys(result.metafile.inputs).map((input): BundleInput => {
    const file = path.resolve(path.dirname(entry), input);
    const signature = fileSignature(file);
    const hash = sha256(fs.readFileSync(file, 'utf8'));
    return signature === undefined ? [file, hash] : [file, hash, signature];
  });
  return { inputs, code: result.outputFiles[0].text };
}

/** A bundle read from the cache: its code, and the hash of its cache entry, which names the code. */
interface StoredBundle {
  readonly code: string;
  readonly hash: string;
}

/** The bundle of `entry`: the cached one when its sources are unchanged, else built and cached; and the cache it is kept in. */
function cachedBundle(entry: string): { cache: Cache; stored?: StoredBundle; build: () => Promise<string> } {
  const cache = cacheFor(entry);
  registerTsExtension(cache);
  const key = cache.key('bundle', entry);
  const build = async () => {
    const { inputs, code } = await buildBundle(entry);
    cache.write(key, `${JSON.stringify(inputs)}\n${code}`);
    return code;
  };
  const stored = cache.readHashed(key);
  if (stored === undefined) return { cache, build };
  const newline = stored.code.indexOf('\n');
  let inputs: unknown;
  try {
    inputs = JSON.parse(stored.code.slice(0, newline));
  } catch {
    return { cache, build };
  }
  const checked = checkInputs(inputs);
  if (checked === undefined) return { cache, build };
  const code = stored.code.slice(newline + 1);
  if (!checked.touched) return { cache, stored: { code, hash: stored.hash }, build };
  // The same sources, written again (a checkout, a save without a change): recorded, so the next run reads none of them.
  const rewritten = `${JSON.stringify(checked.inputs)}\n${code}`;
  cache.write(key, rewritten);
  return { cache, stored: { code, hash: sha256(rewritten) }, build };
}

/** Where V8's compiled code of a bundle is kept between runs, and the bundle it was made for. */
interface CodeCacheSlot {
  readonly cache: Cache;
  readonly key: string;
  readonly bundleHash: string;
}

/** Node's loader for `import()` in a vm.Script (Node 20.8 and later; undefined before). */
const MAIN_CONTEXT_LOADER = (vm as unknown as { constants?: { USE_MAIN_CONTEXT_DEFAULT_LOADER?: symbol } }).constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER;

/**
 * Runs `code` as `module` the way `module._compile` does (the same wrapper, `require` resolving from
 * the entry's folder), with V8's code cache of the slot; without a usable one, the code compiled by
 * the end of this process is cached for the next run.
 */
function runWithCodeCache(module: NodeModule, code: string, slot: CodeCacheSlot): void {
  const cachedData = slot.cache.readCodeCache(slot.key, slot.bundleHash);
  const script = new vm.Script(Module.wrap(code), { filename: module.filename, cachedData, importModuleDynamically: MAIN_CONTEXT_LOADER as never });
  if (cachedData === undefined || script.cachedDataRejected) {
    process.once('exit', () => slot.cache.writeCodeCache(slot.key, slot.bundleHash, script.createCachedData()));
  }
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, Module.createRequire(module.filename), module, module.filename, path.dirname(module.filename));
}

/** Compiles `code` as the module of `entry`: its `require` resolves from the entry's folder. */
function compileModule(entry: string, code: string, asMain: boolean, codeCache?: CodeCacheSlot): NodeModule {
  const module = new ModuleInternals(entry, null);
  module.filename = entry;
  module.paths = ModuleInternals._nodeModulePaths(path.dirname(entry));
  require.cache[entry] = module;
  if (asMain) process.mainModule = module;
  if (codeCache && MAIN_CONTEXT_LOADER !== undefined) runWithCodeCache(module, code, codeCache);
  else module._compile(code, entry);
  module.loaded = true;
  return module;
}

/**
 * Runs `entry` in this process and returns its exports: TypeScript bundled and cached; JavaScript
 * as it is, or bundled and cached too when given `codeCacheName` and the cache folder is writable.
 * An entry already loaded is run again: each call is a fresh module. With `codeCacheName`, V8's
 * compiled code of the bundle is kept under that name and used next time.
 */
export async function loadEntry(entry: string, codeCacheName?: string): Promise<unknown> {
  const file = path.resolve(entry);
  if (process.env.DEBUG) process.setSourceMapsEnabled(true);
  // JavaScript is bundled too when its compiled code is to be kept (the installed bin's commands):
  // one file and V8's code cache load faster than the modules one by one. Not when nothing can be
  // kept, which would bundle it again at every run.
  if (!file.endsWith('.ts') && (codeCacheName === undefined || !canWrite(cacheDirFor(file)))) {
    delete require.cache[require.resolve(file)];
    return require(file) as unknown;
  }
  const { cache, stored, build } = cachedBundle(file);
  if (!stored) return compileModule(file, await build(), false).exports;
  const codeCache = codeCacheName === undefined ? undefined : { cache, key: cache.key('v8', file, codeCacheName), bundleHash: stored.hash };
  return compileModule(file, stored.code, false, codeCache).exports;
}

/**
 * Runs `entry` as the main module, as `node entry.js args…` would: `process.argv` is the entry and
 * `args`, and what the entry throws is an uncaught exception as usual. Synchronous when the bundle
 * is cached.
 */
export function runMain(entry: string, args: readonly string[]): void {
  const file = path.resolve(entry);
  // Stack traces point at the TypeScript lines (from the inline source maps) when asked for with DEBUG.
  if (process.env.DEBUG) process.setSourceMapsEnabled(true);
  process.argv = [process.argv[0], file, ...args];
  if (!file.endsWith('.ts')) {
    require(file);
    return;
  }
  const bundle = cachedBundle(file);
  if (bundle.stored !== undefined) {
    compileModule(file, bundle.stored.code, true);
    return;
  }
  bundle.build().then((code) => {
    // Outside the promise, so that what the entry throws is an uncaught exception as usual.
    process.nextTick(() => compileModule(file, code, true));
  }, (error: Error) => {
    console.error(error.message); // esbuild's messages name the file and line
    process.exit(1);
  });
}

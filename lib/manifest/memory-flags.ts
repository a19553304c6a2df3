/**
 * Memory sizes a process is told to use, read from a container's environment and arguments:
 * the JVM's `-Xmx` (or `-XX:MaxHeapSize=`), Node's `--max-old-space-size`, Redis' `--maxmemory`.
 * A size above the container's memory limit gets the container OOM-killed once the process grows
 * to it. The one parser of these flags: the constructs, the `memory-flags` rule and the compose
 * importer (which sizes a memory limit from the Java heap) read them here.
 */

/**
 * Where a memory flag is: the container's `command` or `args`, or the value of an environment
 * variable, named and at its position among the variables given to {@link memoryFlags}.
 */
export type MemoryFlagPlace =
  | { readonly field: 'command' | 'args' }
  | { readonly field: 'env'; readonly variable: string; readonly index: number };

/** One memory flag found in a container. */
export interface MemoryFlag {
  /** As written, e.g. `-Xmx512m`, `--maxmemory 1gb`. */
  readonly flag: string;
  /** Where it is: callers build their paths from these fields, the message from {@link placeText}. */
  readonly where: MemoryFlagPlace;
  /** The size in bytes. */
  readonly bytes: number;
}

/**
 * Environment variables whose value is a JVM's or Node's command line: `JAVA_OPTS`,
 * `ES_JAVA_OPTS`, `LS_JAVA_OPTS`, `OPENSEARCH_JAVA_OPTS`, `JAVA_TOOL_OPTIONS`, `_JAVA_OPTIONS`,
 * `JDK_JAVA_OPTIONS`, `CATALINA_OPTS`, `KAFKA_HEAP_OPTS`, `NODE_OPTIONS`, …
 */
const OPTION_VARIABLE = /(?:^|_)(?:JAVA_OPTS|JAVA_OPTIONS|JAVA_TOOL_OPTIONS|CATALINA_OPTS|HEAP_OPTS|NODE_OPTIONS)$/;

const JVM_UNITS: Readonly<Record<string, number>> = { '': 1, 'k': 2 ** 10, 'm': 2 ** 20, 'g': 2 ** 30, 't': 2 ** 40 };
/** `-Xmx512m` or `-XX:MaxHeapSize=512m`: the JVM's maximum heap, in bytes or with k, m, g, t (either case, powers of 1024). */
const JVM_MAX_HEAP = /^-(?:Xmx|XX:MaxHeapSize=)(\d+)([kKmMgGtT]?)$/;
/** `--max-old-space-size=512` (or with `_`): V8's old generation, in MiB. */
const NODE_OLD_SPACE = /^--max[-_]old[-_]space[-_]size(?:=(\d+))?$/;
/** Redis units (redis.conf): `1k` = 1000, `1kb` = 1024, and so on; a bare number is bytes. */
const REDIS_SIZE = /^(\d+)(k|kb|m|mb|g|gb)?$/i;
const REDIS_UNITS: Readonly<Record<string, number>> = { '': 1, 'k': 1e3, 'kb': 2 ** 10, 'm': 1e6, 'mb': 2 ** 20, 'g': 1e9, 'gb': 2 ** 30 };

/** The maximum heap the JVM option `word` sets, in bytes; undefined when it is not `-Xmx` or `-XX:MaxHeapSize=` with a size. */
function jvmMaxHeapBytes(word: string): number | undefined {
  const heap = JVM_MAX_HEAP.exec(word);
  return heap ? Number(heap[1]) * JVM_UNITS[heap[2].toLowerCase()] : undefined;
}

/** The memory flags among `words` (a command line split on whitespace). */
function flagsIn(words: readonly string[], where: MemoryFlagPlace): MemoryFlag[] {
  const flags: MemoryFlag[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    const heap = jvmMaxHeapBytes(word);
    if (heap !== undefined) {
      flags.push({ flag: word, where, bytes: heap });
      continue;
    }
    const oldSpace = NODE_OLD_SPACE.exec(word);
    if (oldSpace) {
      const value = oldSpace[1] ?? (/^\d+$/.test(words[i + 1] ?? '') ? words[i + 1] : undefined);
      if (value !== undefined) flags.push({ flag: oldSpace[1] === undefined ? `${word} ${value}` : word, where, bytes: Number(value) * 2 ** 20 });
      continue;
    }
    if (word === '--maxmemory') {
      const size = REDIS_SIZE.exec(words[i + 1] ?? '');
      if (size) flags.push({ flag: `${word} ${words[i + 1]}`, where, bytes: Number(size[1]) * REDIS_UNITS[(size[2] ?? '').toLowerCase()] });
    }
  }
  return flags;
}

function words(text: string): string[] {
  return text.split(/\s+/).filter(Boolean);
}

/**
 * The largest Java heap (`-Xmx512m`, `-XX:MaxHeapSize=1g`) set in `texts` (environment values such
 * as `ES_JAVA_OPTS`, or the words of a command line; each split on whitespace), in bytes; undefined
 * when none is set. A word must be the option alone: `"-Xmx1g"` in quotes is not read.
 */
export function javaMaxHeapBytes(texts: readonly string[]): number | undefined {
  const heaps = texts.flatMap(words).map(jvmMaxHeapBytes).filter((bytes): bytes is number => bytes !== undefined);
  return heaps.length ? Math.max(...heaps) : undefined;
}

/**
 * The memory flags of a container: in its `command` and `args` (each item split on whitespace,
 * so that `sh -c "redis-server --maxmemory 1gb"` counts), and in the literal values of the
 * environment variables that hold a JVM's or Node's options.
 */
export function memoryFlags(container: {
  readonly command?: readonly unknown[];
  readonly args?: readonly unknown[];
  readonly env?: Iterable<readonly [string, unknown]>;
}): MemoryFlag[] {
  const flags: MemoryFlag[] = [];
  for (const key of ['command', 'args'] as const) {
    const line = (container[key] ?? []).filter((item): item is string => typeof item === 'string').flatMap(words);
    flags.push(...flagsIn(line, { field: key }));
  }
  let index = 0;
  for (const [name, value] of container.env ?? []) {
    if (typeof value === 'string' && OPTION_VARIABLE.test(name)) flags.push(...flagsIn(words(value), { field: 'env', variable: name, index }));
    index++;
  }
  return flags;
}

/** `where` as the messages name it: `command`, `args`, `env JAVA_OPTS`. */
function placeText(where: MemoryFlagPlace): string {
  return where.field === 'env' ? `env ${where.variable}` : where.field;
}

/** A size in bytes as people write it: `512Mi`, `1.5Gi`, `300000000 bytes`. */
export function formatBytes(bytes: number): string {
  for (const [unit, size] of [['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]] as const) {
    if (bytes >= size) return `${Math.round((bytes / size) * 100) / 100}${unit}`;
  }
  return `${bytes} bytes`;
}

/** A memory flag above the container's memory limit, and what to say about it. */
export interface MemoryFlagAboveLimit {
  readonly flag: MemoryFlag;
  readonly message: string;
}

/**
 * The memory flags of `container` above `limit` (a memory quantity, already parsed to bytes as
 * `limitBytes`), each with the message the constructs and the `memory-flags` rule both give.
 */
export function memoryFlagsAboveLimit(container: Parameters<typeof memoryFlags>[0], limit: string, limitBytes: number): MemoryFlagAboveLimit[] {
  return memoryFlags(container).filter((flag) => flag.bytes > limitBytes).map((flag) => ({
    flag,
    message: `${placeText(flag.where)}: ${flag.flag} lets the process use ${formatBytes(flag.bytes)}, above the container's memory limit ${limit}; `
      + 'the container is OOM-killed once the process grows to it (the JVM and Node need room beyond their heap too). Lower the flag or raise the memory limit.',
  }));
}

import { formatBytes, javaMaxHeapBytes, memoryFlags, memoryFlagsAboveLimit } from '../../lib/manifest/memory-flags';

describe('memoryFlags', () => {
  it('reads -Xmx in every unit, from args and from the JVM option variables', () => {
    const flags = memoryFlags({
      args: ['java', '-Xmx2g', '-jar', 'app.jar'],
      env: [['ES_JAVA_OPTS', '-Xms512m -Xmx512m'], ['JAVA_TOOL_OPTIONS', '-Xmx1048576k'], ['LS_JAVA_OPTS', '-Xmx1073741824'], ['OTHER', '-Xmx9g']],
    });
    expect(flags).toEqual([
      { flag: '-Xmx2g', where: { field: 'args' }, bytes: 2 * 2 ** 30 },
      { flag: '-Xmx512m', where: { field: 'env', variable: 'ES_JAVA_OPTS', index: 0 }, bytes: 512 * 2 ** 20 },
      { flag: '-Xmx1048576k', where: { field: 'env', variable: 'JAVA_TOOL_OPTIONS', index: 1 }, bytes: 2 ** 30 },
      { flag: '-Xmx1073741824', where: { field: 'env', variable: 'LS_JAVA_OPTS', index: 2 }, bytes: 2 ** 30 },
    ]);
  });

  it('reads -XX:MaxHeapSize= as the JVM heap too, in args and the JVM option variables', () => {
    expect(memoryFlags({ args: ['java', '-XX:MaxHeapSize=2G', '-jar', 'app.jar'], env: [['JAVA_OPTS', '-XX:MaxHeapSize=512m -XX:MaxHeapSize=']] })).toEqual([
      { flag: '-XX:MaxHeapSize=2G', where: { field: 'args' }, bytes: 2 * 2 ** 30 },
      { flag: '-XX:MaxHeapSize=512m', where: { field: 'env', variable: 'JAVA_OPTS', index: 0 }, bytes: 512 * 2 ** 20 },
    ]);
  });

  it('reads Redis --maxmemory in its own units, also inside a shell command line', () => {
    expect(memoryFlags({ command: ['sh', '-c', 'redis-server --maxmemory 1gb --port 6379'] })).toEqual([
      { flag: '--maxmemory 1gb', where: { field: 'command' }, bytes: 2 ** 30 },
    ]);
    expect(memoryFlags({ args: ['--maxmemory', '100m'] })).toEqual([{ flag: '--maxmemory 100m', where: { field: 'args' }, bytes: 100e6 }]);
    expect(memoryFlags({ args: ['--maxmemory', 'lots'] })).toEqual([]);
  });

  it('reads Node --max-old-space-size (MiB) written with = or a space, in args and NODE_OPTIONS', () => {
    expect(memoryFlags({ args: ['node', '--max-old-space-size=4096', 'server.js'], env: [['NODE_OPTIONS', '--max_old_space_size 512']] })).toEqual([
      { flag: '--max-old-space-size=4096', where: { field: 'args' }, bytes: 4096 * 2 ** 20 },
      { flag: '--max_old_space_size 512', where: { field: 'env', variable: 'NODE_OPTIONS', index: 0 }, bytes: 512 * 2 ** 20 },
    ]);
  });

  it('skips values that are not literal strings (a Secret reference)', () => {
    expect(memoryFlags({ env: [['JAVA_OPTS', undefined]] })).toEqual([]);
  });
});

describe('javaMaxHeapBytes', () => {
  it('is the largest heap the memory flags parser reads in any of the texts, whatever the variable', () => {
    expect(javaMaxHeapBytes(['-Xms1g -Xmx512m', 'java -XX:MaxHeapSize=768m -jar app.jar'])).toBe(768 * 2 ** 20);
    expect(javaMaxHeapBytes(['-Xmx1G'])).toBe(memoryFlags({ args: ['-Xmx1G'] })[0].bytes);
    expect(javaMaxHeapBytes(['--max-old-space-size=4096', '--maxmemory 1gb', '-Xmx', "'-Xmx1g'"])).toBeUndefined();
  });
});

describe('memoryFlagsAboveLimit', () => {
  it('reports only the flags above the limit, naming the flag, its size and the limit', () => {
    const above = memoryFlagsAboveLimit({ env: [['ES_JAVA_OPTS', '-Xms512m -Xmx512m']], args: ['-Xmx256m'] }, '256Mi', 256 * 2 ** 20);
    expect(above.map((a) => a.flag.flag)).toEqual(['-Xmx512m']);
    expect(above[0].message).toMatch(/^env ES_JAVA_OPTS: -Xmx512m lets the process use 512Mi, above the container's memory limit 256Mi; .*OOM-killed/);
  });
});

describe('formatBytes', () => {
  test.each([[2 ** 30, '1Gi'], [1.5 * 2 ** 20, '1.5Mi'], [2048, '2Ki'], [100, '100 bytes']])('%d is %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});

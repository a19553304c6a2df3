import { bytesToQuantity, ComposeError, cpusToQuantity, interpolate, javaMaxHeapBytes, parseDotEnv, parseDuration, splitCommand } from '../../lib/compose/values';

test.each([['30s', 30], ['1m30s', 90], ['500ms', 0.5], ['1h', 3600], ['2m', 120]])('duration %s is %p seconds', (text, seconds) => {
  expect(parseDuration(text)).toBe(seconds);
});
test.each(['30', 's', '1x', ''])('%j is not a duration', (text) => {
  expect(parseDuration(text)).toBeUndefined();
});

test.each([
  ['512M', '512Mi'], ['512m', '512Mi'], ['1g', '1Gi'], ['1.5G', '1536Mi'], ['64kb', '64Ki'], [1000, '1000'], ['12q', undefined],
  ['512MiB', '512Mi'], ['2GB', '2Gi'], ['1t', '1Ti'], ['100b', '100'], ['512 m', '512Mi'], ['m', undefined], ['-1g', undefined],
])(
  'docker byte size %p is the quantity %p', (text, quantity) => {
    expect(bytesToQuantity(text)).toBe(quantity);
  });

test.each([['0.5', '500m'], [2, '2'], ['0.25', '250m'], ['-1', undefined], ['many', undefined]])('cpus %p is %p', (cpus, quantity) => {
  expect(cpusToQuantity(cpus)).toBe(quantity);
});

test('the largest Java heap of environment values and command words', () => {
  expect(javaMaxHeapBytes(['-Xms512m -Xmx512m', 'other'])).toBe(512 * 2 ** 20);
  expect(javaMaxHeapBytes(['-Xmx1g', '-XX:MaxHeapSize=2G', '-Xmx100'])).toBe(2 * 2 ** 30);
  expect(javaMaxHeapBytes(['java', '-jar', 'app.jar', '"-Xmx256k"'])).toBeUndefined();
  expect(javaMaxHeapBytes(['-Xmxlarge', 'X-Xmx1g'])).toBeUndefined();
});

test('commands in string form split as a shell would, without expansion', () => {
  expect(splitCommand('redis-server --appendonly yes')).toEqual(['redis-server', '--appendonly', 'yes']);
  expect(splitCommand(`sh -c "echo 'a b' \\"c\\""  x\\ y ''`)).toEqual(['sh', '-c', `echo 'a b' "c"`, 'x y', '']);
  expect(splitCommand('echo "unterminated')).toBeUndefined();
});

test('interpolation takes defaults, keeps $$ as $, and reports unset references without a default', () => {
  const unset: string[] = [];
  const report = ({ name }: { name: string }) => unset.push(name);
  expect(interpolate('${A:-x}/${B-y}/$${C}/${D}/$E', {}, report)).toBe('x/y/${C}//');
  expect(unset).toEqual(['D', 'E']);
});

test('interpolation reads the variables as compose does: set, empty and unset differ for - and +; ? refuses naming the variable', () => {
  const variables = { SET: 'v', EMPTY: '' };
  const unset: string[] = [];
  const run = (text: string) => interpolate(text, variables, ({ name }) => unset.push(name));
  expect(['${SET}', '$SET', '${EMPTY}', '${SET:-d}', '${EMPTY:-d}', '${EMPTY-d}', '${NONE-d}'].map(run)).toEqual(['v', 'v', '', 'v', 'd', '', 'd']);
  expect(['${SET:+r}', '${EMPTY:+r}', '${EMPTY+r}', '${NONE+r}', '${SET:?m}', '${EMPTY?m}'].map(run)).toEqual(['r', '', 'r', '', 'v', '']);
  expect(unset).toEqual([]);
  expect(() => run('${NONE:?set the password}')).toThrow(new ComposeError('${NONE} is required (set the password) but not set: set it in the .env file next to the compose file'));
  expect(() => run('${EMPTY:?}')).toThrow(new ComposeError('${EMPTY} is required but empty: set it in the .env file next to the compose file'));
  expect(() => run('${NONE?}')).toThrow(/^\$\{NONE\} is required but not set/);
});

test('a .env file: comments, export, quotes, inline comments', () => {
  expect(parseDotEnv([
    '# comment', 'A=1', 'export B = two ', "C='lit $X # no comment'", 'D="line\\nnext \\"q\\""', 'E=value # comment', 'F=', 'not a line',
  ].join('\n'))).toEqual({ A: '1', B: 'two', C: 'lit $X # no comment', D: 'line\nnext "q"', E: 'value', F: '' });
});

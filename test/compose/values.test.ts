import { bytesToQuantity, cpusToQuantity, interpolate, parseDuration, splitCommand } from '../../lib/compose/values';

test.each([['30s', 30], ['1m30s', 90], ['500ms', 0.5], ['1h', 3600], ['2m', 120]])('duration %s is %p seconds', (text, seconds) => {
  expect(parseDuration(text)).toBe(seconds);
});
test.each(['30', 's', '1x', ''])('%j is not a duration', (text) => {
  expect(parseDuration(text)).toBeUndefined();
});

test.each([['512M', '512Mi'], ['512m', '512Mi'], ['1g', '1Gi'], ['1.5G', '1536Mi'], ['64kb', '64Ki'], [1000, '1000'], ['12q', undefined]])(
  'docker byte size %p is the quantity %p', (text, quantity) => {
    expect(bytesToQuantity(text)).toBe(quantity);
  });

test.each([['0.5', '500m'], [2, '2'], ['0.25', '250m'], ['-1', undefined], ['many', undefined]])('cpus %p is %p', (cpus, quantity) => {
  expect(cpusToQuantity(cpus)).toBe(quantity);
});

test('commands in string form split as a shell would, without expansion', () => {
  expect(splitCommand('redis-server --appendonly yes')).toEqual(['redis-server', '--appendonly', 'yes']);
  expect(splitCommand(`sh -c "echo 'a b' \\"c\\""  x\\ y ''`)).toEqual(['sh', '-c', `echo 'a b' "c"`, 'x y', '']);
  expect(splitCommand('echo "unterminated')).toBeUndefined();
});

test('interpolation takes defaults, keeps $$ as $, and reports references without a default', () => {
  const unset: string[] = [];
  const report = ({ name }: { name: string }) => unset.push(name);
  expect(interpolate('${A:-x}/${B-y}/$${C}/${D}/$E', report)).toBe('x/y/${C}//');
  expect(unset).toEqual(['D', 'E']);
});

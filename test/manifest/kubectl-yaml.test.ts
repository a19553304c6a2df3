/** Plain scalars as kubectl reads them: the subset reader's shortcut agrees with go-yaml v2's tags. */
import { parse } from 'yaml';
import { KUBECTL_PARSE_OPTIONS, resolvePlainScalar } from '../../lib/manifest/kubectl-yaml';

/** What the `yaml` package, given kubectl's tags, reads from `source` written as a plain value. */
const byTags = (source: string): unknown => parse(`key: ${source}\n`, KUBECTL_PARSE_OPTIONS).key;

describe('resolvePlainScalar', () => {
  test.each([
    ['null', null], ['Null', null], ['NULL', null], ['~', null],
    ['y', true], ['Y', true], ['yes', true], ['Yes', true], ['YES', true], ['true', true], ['True', true], ['TRUE', true], ['on', true], ['On', true], ['ON', true],
    ['n', false], ['N', false], ['no', false], ['No', false], ['NO', false], ['false', false], ['False', false], ['FALSE', false], ['off', false], ['Off', false], ['OFF', false],
  ])('%s is %s, as the tags read it', (source, value) => {
    expect(resolvePlainScalar(source)).toBe(value);
    expect(byTags(source)).toBe(value);
  });

  test.each(['nO', 'yES', 'tRUE', 'oN', 'nil', 'None', 'nan', 'inf', 'Infinity', 'e5', 'x10', 'name', 'type', 'onion', 'nope', 'Nulls', 'yes!', 'off-peak', 'n/a'])(
    '%s, a letter first and no null or boolean word, is the string',
    (source) => {
      expect(resolvePlainScalar(source)).toBe(source);
      expect(byTags(source)).toBe(source);
    },
  );

  test.each([['0755', 493], ['0x1F', 31], ['1_000', 1000], ['1e3', 1000], ['-.inf', -Infinity], ['.5', 0.5], ['+12', 12], ['1:30', '1:30'], ['2001-12-14', '2001-12-14'], ['-1', -1]])(
    '%s, no letter first, goes by the tags: %s',
    (source, value) => {
      expect(resolvePlainScalar(source)).toBe(value);
      expect(byTags(source)).toBe(value);
    },
  );
});

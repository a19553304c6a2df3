import { isIPv6 } from 'net';
import { cidrContains, isIpAddress, isStrictSubnet, parseCidr } from '../../lib/manifest/cidr';

const IPV6_CASES = [
  '::', '::1', '1::', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7::', '::2:3:4:5:6:7:8', '1::8', 'fe80::1', 'FE80::AbCd',
  '2001:db8::ff00:42:8329', '::ffff:10.1.2.3', '::ffff:255.255.255.255', '1:2:3:4:5:6:1.2.3.4', '64:ff9b::192.0.2.33',
  // refused
  '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', '1::2::3', ':1::', '1::2:', ':::', '12345::', 'g::1', '1:2:3:4:5:6:7::8',
  '::ffff:010.1.2.3', '::ffff:256.1.2.3', '::1.2.3', '1.2.3.4::', '::1.2.3.4:5', 'fe80::1%eth0', '', ':', '1:2:3:4:5:6:7:1.2.3.4',
  ' ::1', '::1 ', '0x1::', '+1::', '-1::',
];

// Go's net.ParseIP, which the API server's IP fields use, refuses a zone (`%eth0`); so do we.
test.each(IPV6_CASES)('%p is an IPv6 address exactly when Node says so (without a zone)', (text) => {
  expect(isIpAddress(text)).toBe((isIPv6(text) && !text.includes('%')) || /^\d+\.\d+\.\d+\.\d+$/.test(text));
});

test('addresses keep their bits: a CIDR inside another is a strict subnet', () => {
  expect(isStrictSubnet(parseCidr('2001:db8::ff00:0/120')!, parseCidr('2001:db8::/64')!)).toBe(true);
  expect(isStrictSubnet(parseCidr('2001:db9::/120')!, parseCidr('2001:db8::/64')!)).toBe(false);
  expect(isStrictSubnet(parseCidr('::ffff:10.1.2.0/120')!, parseCidr('::ffff:10.1.0.0/112')!)).toBe(true);
  expect(isStrictSubnet(parseCidr('::ffff:10.2.2.0/120')!, parseCidr('::ffff:10.1.0.0/112')!)).toBe(false);
  expect(isStrictSubnet(parseCidr('10.1.2.0/24')!, parseCidr('10.1.0.0/16')!)).toBe(true);
  expect(parseCidr('::1/129')).toBeUndefined();
  expect(parseCidr('fe80::1%eth0/64')).toBeUndefined();
});

test('an address is inside a CIDR of its family when their first prefix bits agree', () => {
  expect(cidrContains(parseCidr('10.1.0.0/16')!, '10.1.255.7')).toBe(true);
  expect(cidrContains(parseCidr('10.1.0.0/16')!, '10.2.0.1')).toBe(false);
  expect(cidrContains(parseCidr('0.0.0.0/0')!, '203.0.113.9')).toBe(true);
  expect(cidrContains(parseCidr('203.0.113.9/32')!, '203.0.113.9')).toBe(true);
  expect(cidrContains(parseCidr('2001:db8::/64')!, '2001:db8::1')).toBe(true);
  expect(cidrContains(parseCidr('::/0')!, '10.0.0.1')).toBe(false);
  expect(cidrContains(parseCidr('0.0.0.0/0')!, 'not-an-ip')).toBe(false);
});

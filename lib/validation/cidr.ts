/** IP addresses and CIDRs as the API server's legacy fields parse them (Go's net package, leading zeros tolerated in IPv4). */
import { isIPv6 } from 'net';

interface Cidr {
  readonly bits: bigint;
  readonly prefix: number;
  readonly width: 32 | 128;
}

function ipv4Bits(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((part) => !/^\d{1,3}$/.test(part) || Number(part) > 255)) return undefined;
  return parts.reduce((bits, part) => (bits << 8n) | BigInt(Number(part)), 0n);
}

function ipv6Bits(text: string): bigint | undefined {
  if (!isIPv6(text) || text.includes('%')) return undefined;
  let address = text;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (v4) {
    const bits = ipv4Bits(v4[1]);
    if (bits === undefined) return undefined;
    address = `${address.slice(0, -v4[1].length)}${(bits >> 16n).toString(16)}:${(bits & 0xffffn).toString(16)}`;
  }
  const [head, tail] = address.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...headGroups, ...Array(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups] : headGroups;
  return groups.reduce((bits, group) => (bits << 16n) | BigInt(parseInt(group, 16)), 0n);
}

/** Whether `text` is an IP address (IPv4 or IPv6). */
export function isIpAddress(text: string): boolean {
  return ipv4Bits(text) !== undefined || ipv6Bits(text) !== undefined;
}

export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const address = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  const v4 = ipv4Bits(address);
  if (v4 !== undefined) return prefix <= 32 ? { bits: v4, prefix, width: 32 } : undefined;
  const v6 = ipv6Bits(address);
  if (v6 !== undefined) return prefix <= 128 ? { bits: v6, prefix, width: 128 } : undefined;
  return undefined;
}

/** Whether `inner` is a strict subset of `outer` (same family, longer prefix, inside it). */
export function isStrictSubnet(inner: Cidr, outer: Cidr): boolean {
  if (inner.width !== outer.width || inner.prefix <= outer.prefix) return false;
  const shift = BigInt(outer.width - outer.prefix);
  return inner.bits >> shift === outer.bits >> shift;
}

/** IP addresses and CIDRs as the API server's legacy fields parse them (Go's net package, leading zeros tolerated in IPv4). */

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

const HEX_GROUP = /^[0-9A-Fa-f]{1,4}$/;
/** A dotted quad at the end of an IPv6 address: no leading zeros there (as Node's and Go's parsers). */
const EMBEDDED_IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]\d|\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]\d|\d)$/;

/**
 * The 16-bit groups of an IPv6 address without a zone: eight groups, or fewer with one `::`
 * standing for at least one zero group; the last two may be written as a dotted quad.
 * (Node's net.isIPv6 accepts the same addresses, but compiles a large regex on first use.)
 */
function ipv6Groups(text: string): number[] | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups: number[][] = [];
  for (const [index, half] of halves.entries()) {
    const parts = half === '' ? [] : half.split(':');
    const values: number[] = [];
    for (const [i, part] of parts.entries()) {
      const last = index === halves.length - 1 && i === parts.length - 1;
      if (last && EMBEDDED_IPV4.test(part)) {
        const [a, b, c, d] = part.split('.').map(Number);
        values.push((a << 8) | b, (c << 8) | d);
      } else if (HEX_GROUP.test(part)) {
        values.push(parseInt(part, 16));
      } else {
        return undefined;
      }
    }
    groups.push(values);
  }
  if (groups.length === 1) return groups[0].length === 8 ? groups[0] : undefined;
  const [head, tail] = groups;
  if (head.length + tail.length > 7) return undefined;
  return [...head, ...Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

function ipv6Bits(text: string): bigint | undefined {
  return ipv6Groups(text)?.reduce((bits, group) => (bits << 16n) | BigInt(group), 0n);
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

/** Whether the IP address `address` lies inside `cidr` (an address of the other family never does). */
export function cidrContains(cidr: Cidr, address: string): boolean {
  const v4 = ipv4Bits(address);
  const bits = v4 ?? ipv6Bits(address);
  const width = v4 !== undefined ? 32 : 128;
  if (bits === undefined || width !== cidr.width) return false;
  const shift = BigInt(cidr.width - cidr.prefix);
  return bits >> shift === cidr.bits >> shift;
}

/** Whether `inner` is a strict subset of `outer` (same family, longer prefix, inside it). */
export function isStrictSubnet(inner: Cidr, outer: Cidr): boolean {
  if (inner.width !== outer.width || inner.prefix <= outer.prefix) return false;
  const shift = BigInt(outer.width - outer.prefix);
  return inner.bits >> shift === outer.bits >> shift;
}

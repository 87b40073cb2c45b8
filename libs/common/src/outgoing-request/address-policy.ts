import { BlockList, isIPv4, isIPv6 } from 'node:net';

/**
 * Addresses an outgoing request of a job may not reach unless it says `allow_private: true`:
 * this machine, private networks, link-local (cloud metadata lives there: 169.254.169.254,
 * fd00:ec2::254 in fc00::/7), carrier NAT (100.100.100.200 is Alibaba's metadata), multicast
 * and reserved ranges.
 */
const BLOCKED = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  BLOCKED.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fe80::', 10],
  ['fc00::', 7],
  ['fec0::', 10],
  ['ff00::', 8],
  ['2001:db8::', 32],
  ['100::', 64],
] as const)
  BLOCKED.addSubnet(net, prefix, 'ipv6');

/** The IPv4 address an IPv6 address carries (v4-mapped `::ffff:a.b.c.d`, NAT64 `64:ff9b::`, v4-compatible `::a.b.c.d`), if any. */
const embeddedIpv4 = (address: string): string | null => {
  const lower = address.toLowerCase();
  const dotted = /^(?:::ffff:|::ffff:0:|64:ff9b::|::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted !== null) return dotted[1];
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hex === null) return null;
  const high = parseInt(hex[1], 16);
  const low = parseInt(hex[2], 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
};

/** Why `address` (an IP literal) may not be reached, or null when it may. */
export const blockedReason = (address: string): string | null => {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (isIPv4(bare))
    return BLOCKED.check(bare, 'ipv4')
      ? `${bare} is a loopback, private, link-local or reserved address`
      : null;
  if (!isIPv6(bare)) return `${address} is not an IP address`;
  const v4 = embeddedIpv4(bare);
  if (v4 !== null && BLOCKED.check(v4, 'ipv4'))
    return `${bare} carries ${v4}, a loopback, private, link-local or reserved address`;
  return BLOCKED.check(bare, 'ipv6')
    ? `${bare} is a loopback, private, link-local or reserved address`
    : null;
};

import { isIPv4, isIPv6 } from 'node:net';

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * The canonical form of a host name: lower case, no trailing dot; IPv6 addresses keep their
 * brackets (`[::1]`), as in a Host header. Undefined when it is not a host name or IP address
 * (a port is not part of a host).
 */
export const normalizeHost = (value: string): string | undefined => {
  const host = value.trim().toLowerCase();
  if (host.startsWith('[')) return host.endsWith(']') && isIPv6(host.slice(1, -1)) ? host : undefined;
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  if (name.length === 0 || name.length > 253) return undefined;
  if (isIPv4(name)) return name;
  return name.split('.').every((label) => LABEL.test(label)) ? name : undefined;
};

/**
 * The host of an HTTP Host header in canonical form, the port dropped:
 * `Example.com.:8080` → `example.com`, `[::1]:8080` → `[::1]`. Undefined when malformed.
 */
export const hostFromHeader = (header: string): string | undefined => {
  const value = header.trim();
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    if (end < 0 || !/^(:\d*)?$/.test(value.slice(end + 1))) return undefined;
    return normalizeHost(value.slice(0, end + 1));
  }
  const colon = value.indexOf(':');
  if (colon < 0) return normalizeHost(value);
  // Several colons without brackets: a bare IPv6 address (not a valid Host header, but unambiguous).
  if (value.indexOf(':', colon + 1) >= 0) return isIPv6(value) ? normalizeHost(`[${value}]`) : undefined;
  return /^\d*$/.test(value.slice(colon + 1)) ? normalizeHost(value.slice(0, colon)) : undefined;
};

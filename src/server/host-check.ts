/**
 * The Host check against DNS rebinding: a web page whose name its owner points at 127.0.0.1 after it has
 * loaded is, to the browser, of the same origin as a server on this machine, and could read its answers
 * and send it work. The browser still sends the page's own name in `Host`, so a server bound to a loopback
 * address answers only requests naming loopback (`localhost`, `*.localhost`, `127.x.x.x`, `[::1]`, with any
 * port), and the names the operator allows (`allowedHosts`, `entrel serve --allowed-host`); others get 421
 * Misdirected Request. A server bound to another address (reached by other names, through proxies) checks
 * Host only when given `allowedHosts`, then the same way.
 */
import { BlockList, isIP } from 'node:net';
import { described, UserError } from '../errors.js';

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** Whether `address` (an IP address, IPv4-mapped IPv6 included) is a loopback address. */
function isLoopbackAddress(address: string): boolean {
  const family = isIP(address);
  return family !== 0 && LOOPBACK.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** A Host value's name, lowercased, without its port or trailing dot (IPv6 unbracketed); undefined if malformed. */
export function hostName(host: string): string | undefined {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]]+))(?::\d{1,5})?$/.exec(host.trim());
  if (!m) return undefined;
  const name = (m[1] ?? m[2]).toLowerCase().replace(/\.$/, '');
  return name === '' ? undefined : name;
}

/** Whether a Host's name (hostName) names this machine. */
function namesLoopback(name: string): boolean {
  return name === 'localhost' || name.endsWith('.localhost') || isLoopbackAddress(name);
}

/** A DNS name (labels of letters, digits, `-` and `_`), lowercased. */
const DNS_NAME = /^(?=.{1,253}$)(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;

/** A name or address given as an allowed host (`api.example.com`, `10.0.0.5`, `::1` or `[::1]`), as hostName gives it. */
export function allowedHostName(value: unknown, field: string): string {
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase().replace(/\.$/, '');
    const bare = v.replace(/^\[(.*)\]$/, '$1');
    if (isIP(bare) === 6) return bare;
    if (isIP(v) === 4 || DNS_NAME.test(v)) return v;
  }
  throw new UserError(`must be a host name or IP address as clients write it in the URL (no scheme, port or path), got ${described(value)}`, { field });
}

/**
 * The check for a server bound to `boundAddress` (undefined: not listening yet, as under `inject`):
 * a function telling whether a request's Host value is one to answer, or undefined when every Host is.
 */
export function hostCheck(boundAddress: string | undefined, allowed: readonly string[]): ((host: string) => boolean) | undefined {
  if (allowed.length === 0 && !(boundAddress !== undefined && isLoopbackAddress(boundAddress))) return undefined;
  const names = new Set(allowed);
  return (host) => {
    const name = hostName(host);
    return name !== undefined && (namesLoopback(name) || names.has(name));
  };
}

// IPv4 CIDR blocks as address ranges, enough to prove an ipBlock stays out of private space.

export interface Cidr {
  readonly first: number;
  readonly last: number;
}

export function parseCidr(text: string): Cidr | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const bits = Number(m[5]);
  if (octets.some((o) => o > 255) || bits > 32) return undefined;
  const addr = octets.reduce((n, o) => n * 256 + o, 0);
  const size = 2 ** (32 - bits);
  const first = Math.floor(addr / size) * size;
  return { first, last: first + size - 1 };
}

/** Whether `outer` holds every address of `inner`. */
export function containsCidr(outer: Cidr, inner: Cidr): boolean {
  return outer.first <= inner.first && inner.last <= outer.last;
}

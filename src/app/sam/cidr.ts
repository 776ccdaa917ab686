/**
 * `Fn::Cidr`: split an address block into `count` subnets of `2^cidrBits` addresses each, IPv4 or IPv6. Templates
 * use it for VPC subnets, which mean nothing locally, but the value must still resolve.
 */

import { TemplateError } from '../model.js';

interface Block {
  readonly base: bigint;
  readonly prefix: number;
  readonly width: 32 | 128;
}

function parseV4(address: string): bigint | undefined {
  const octets = address.split('.');
  if (octets.length !== 4 || octets.some((o) => !/^\d{1,3}$/.test(o) || Number(o) > 255)) return undefined;
  return octets.reduce((acc, o) => (acc << 8n) | BigInt(o), 0n);
}

function parseV6(address: string): bigint | undefined {
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return undefined;
  const groups = [...head, ...Array<string>(missing).fill('0'), ...tail];
  if (groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

function parseBlock(cidr: string, path: string): Block {
  const [address = '', prefixText = ''] = cidr.split('/');
  const width = address.includes(':') ? 128 : 32;
  const base = width === 32 ? parseV4(address) : parseV6(address);
  const prefix = Number(prefixText);
  if (base === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > width) {
    throw new TemplateError(`Fn::Cidr: ${JSON.stringify(cidr)} is not a CIDR block`, path);
  }
  return { base, prefix, width };
}

function format(value: bigint, width: 32 | 128): string {
  if (width === 32) return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 255n)).join('.');
  const groups: string[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(((value >> shift) & 0xffffn).toString(16));
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

export function cidrSubnets(ipBlock: string, count: number, cidrBits: number, path: string): string[] {
  const block = parseBlock(ipBlock, path);
  const subnetPrefix = block.width - cidrBits;
  if (!Number.isInteger(count) || count < 1 || count > 256 || !Number.isInteger(cidrBits) || subnetPrefix < block.prefix) {
    throw new TemplateError(`Fn::Cidr: cannot cut ${count} subnets of /${subnetPrefix} from ${ipBlock}`, path);
  }
  const size = 1n << BigInt(cidrBits);
  const available = 1n << BigInt(subnetPrefix - block.prefix);
  if (BigInt(count) > available) throw new TemplateError(`Fn::Cidr: ${ipBlock} holds only ${available} subnets of /${subnetPrefix}`, path);
  const hostMask = (1n << BigInt(block.width - block.prefix)) - 1n;
  const start = block.base & ~hostMask;
  return Array.from({ length: count }, (_, i) => `${format(start + BigInt(i) * size, block.width)}/${subnetPrefix}`);
}

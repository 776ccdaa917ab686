/**
 * Deterministic stand-ins for the names and ids AWS would generate. They must be stable across restarts (clients
 * keep URLs and function names) and look like the real thing (apps parse ARNs and ids), so they are derived from a
 * hash of the stack name and logical id rather than random.
 */

import { createHash } from 'node:crypto';
import { basename } from 'node:path';

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const HEX = '0123456789abcdef';

/** `length` characters of `alphabet` drawn from the SHA-256 of `seed` (re-hashed when more bytes are needed). */
export function hashChars(seed: string, length: number, alphabet: string): string {
  let out = '';
  let block = createHash('sha256').update(seed).digest();
  while (out.length < length) {
    for (const byte of block) {
      if (out.length === length) break;
      out += alphabet[byte % alphabet.length];
    }
    block = createHash('sha256').update(block).digest();
  }
  return out;
}

export const upperId = (seed: string, length: number): string => hashChars(seed, length, UPPER_ALNUM);
export const lowerId = (seed: string, length: number): string => hashChars(seed, length, LOWER_ALNUM);

/** A UUID-shaped id (KMS key ids, stack ids, certificate ids). */
export function uuidFrom(seed: string): string {
  const h = hashChars(seed, 32, HEX);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** API Gateway ids are 10 lower-case alphanumerics. */
export function apiIdFor(stackName: string, logicalId: string): string {
  return lowerId(`api:${stackName}:${logicalId}`, 10);
}

/**
 * CloudFormation's generated physical name `<stack>-<logicalId>-<SUFFIX>`. When the result would exceed the
 * service's limit (64 for Lambda and IAM), CloudFormation shortens the stack and logical id parts; so do we.
 */
export function physicalName(stackName: string, logicalId: string, maxLength = 64, suffixLength = 12): string {
  const suffix = upperId(`name:${stackName}:${logicalId}`, suffixLength);
  const budget = maxLength - suffixLength - 2;
  let stack = stackName;
  let id = logicalId;
  if (stack.length + id.length > budget) {
    const idShare = Math.min(id.length, Math.ceil(budget / 2));
    id = id.slice(0, idShare);
    stack = stack.slice(0, budget - id.length);
  }
  return `${stack}-${id}-${suffix}`;
}

const STACK_NAME = /^[A-Za-z][-A-Za-z0-9]{0,127}$/;

export function isValidStackName(name: string): boolean {
  return STACK_NAME.test(name);
}

/** A valid stack name from a folder name: `my_app 2` -> `my-app-2`; never empty. */
export function stackNameFromDir(appDir: string): string {
  const cleaned = basename(appDir)
    .replace(/[^A-Za-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^[^A-Za-z]+/, '')
    .replace(/-+$/, '')
    .slice(0, 128);
  return cleaned === '' ? 'portico-app' : cleaned;
}

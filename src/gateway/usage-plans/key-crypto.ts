/**
 * How API key values are kept: never in plain text. A key is found by a keyed hash of its value (HMAC-SHA256), so
 * the store alone does not let anyone test guesses offline, and its value is kept sealed with AES-256-GCM, only so
 * that `GetApiKeys?includeValues=true` can show it again, as API Gateway does. Both keys derive (HKDF-SHA256) from
 * one random per-installation secret in the data directory, readable by its owner only.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const SECRET_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** API Gateway generates 40-character alphanumeric key values. */
const GENERATED_LENGTH = 40;

export class KeyCrypto {
  private readonly hmacKey: Buffer;
  private readonly sealKey: Buffer;

  constructor(secret: Buffer) {
    this.hmacKey = Buffer.from(hkdfSync('sha256', secret, '', 'portico api-key lookup', 32));
    this.sealKey = Buffer.from(hkdfSync('sha256', secret, '', 'portico api-key value', 32));
  }

  /** Reads the installation's secret, creating it on first start (at start-up only: synchronous I/O). */
  static open(secretFile: string): KeyCrypto {
    let secret: Buffer;
    try {
      secret = readFileSync(secretFile);
    } catch {
      secret = randomBytes(SECRET_BYTES);
      mkdirSync(dirname(secretFile), { recursive: true, mode: 0o700 });
      writeFileSync(secretFile, secret, { mode: 0o600, flag: 'wx' });
    }
    if (secret.length !== SECRET_BYTES) throw new Error(`${secretFile} is not a Portico key secret (expected ${SECRET_BYTES} bytes)`);
    return new KeyCrypto(secret);
  }

  /** The lookup hash of a key value. */
  hash(value: string): Buffer {
    return createHmac('sha256', this.hmacKey).update(value, 'utf8').digest();
  }

  /** Compares two hashes in constant time. */
  sameHash(a: Buffer, b: Buffer): boolean {
    return a.length === b.length && timingSafeEqual(a, b);
  }

  /** iv ‖ tag ‖ ciphertext. */
  seal(value: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.sealKey, iv);
    const sealed = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), sealed]);
  }

  open(sealed: Buffer): string {
    const decipher = createDecipheriv('aes-256-gcm', this.sealKey, sealed.subarray(0, IV_BYTES));
    decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }

  /** A new key value, as API Gateway generates one. */
  generateValue(): string {
    let value = '';
    for (let i = 0; i < GENERATED_LENGTH; i++) value += ALPHABET[randomInt(ALPHABET.length)];
    return value;
  }
}

// Who may sign requests to the AWS endpoint. Three sources: the well-known
// development pair (only while nothing but this machine can reach us), a pair
// the operator configures, and short-lived session pairs Portico hands to the
// functions it runs so their SDK calls back into Portico are authenticated.
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';

export interface StoredCredential {
  secretAccessKey: string;
  /** Set for session credentials: requests must carry this exact X-Amz-Security-Token. */
  sessionToken?: string;
}

/** What signature verification needs; CredentialStore is the implementation. */
export interface CredentialLookup {
  lookup(accessKeyId: string): StoredCredential | undefined;
}

export interface SessionCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

/** The pair LocalStack and most local AWS tools accept; documented for Portico too. */
export const DEV_ACCESS_KEY_ID = 'test';
export const DEV_SECRET_ACCESS_KEY = 'test';

export interface CredentialStoreOptions {
  /** Address the AWS endpoint is bound to: the dev pair is refused unless it is loopback. */
  bindAddress: string;
  /** PORTICO_ACCESS_KEY_ID / PORTICO_SECRET_ACCESS_KEY: must be given together. */
  accessKeyId?: string;
  secretAccessKey?: string;
}

export class CredentialStore implements CredentialLookup {
  private readonly keys = new Map<string, StoredCredential>();

  constructor(options: CredentialStoreOptions) {
    // Anyone can guess test/test, so it only opens the door when the door is
    // not reachable from another machine.
    if (isLoopbackAddress(options.bindAddress)) {
      this.keys.set(DEV_ACCESS_KEY_ID, { secretAccessKey: DEV_SECRET_ACCESS_KEY });
    }
    const { accessKeyId, secretAccessKey } = options;
    if (Boolean(accessKeyId) !== Boolean(secretAccessKey)) {
      throw new Error('PORTICO_ACCESS_KEY_ID and PORTICO_SECRET_ACCESS_KEY must be set together');
    }
    if (accessKeyId && secretAccessKey) this.keys.set(accessKeyId, { secretAccessKey });
  }

  static fromEnv(env: Readonly<Record<string, string | undefined>>, bindAddress: string): CredentialStore {
    return new CredentialStore({
      bindAddress,
      accessKeyId: env.PORTICO_ACCESS_KEY_ID,
      secretAccessKey: env.PORTICO_SECRET_ACCESS_KEY,
    });
  }

  lookup(accessKeyId: string): StoredCredential | undefined {
    return this.keys.get(accessKeyId);
  }

  /** Whether the development pair is accepted (i.e. the endpoint is loopback-only). */
  get acceptsDevCredentials(): boolean {
    return this.keys.get(DEV_ACCESS_KEY_ID)?.secretAccessKey === DEV_SECRET_ACCESS_KEY;
  }

  /**
   * A fresh pair shaped like STS's (ASIA… id of 20 characters, 40-character
   * secret, opaque token) so SDK code that inspects them sees nothing odd.
   * Valid until revoked or the process exits.
   */
  mintSessionCredentials(): SessionCredentials {
    let accessKeyId = sessionKeyId();
    while (this.keys.has(accessKeyId)) accessKeyId = sessionKeyId();
    const minted = {
      accessKeyId,
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: randomBytes(96).toString('base64'),
    };
    this.keys.set(accessKeyId, { secretAccessKey: minted.secretAccessKey, sessionToken: minted.sessionToken });
    return minted;
  }

  /** Forget a minted session pair; long-term pairs are left alone. */
  revokeSession(accessKeyId: string): boolean {
    if (this.keys.get(accessKeyId)?.sessionToken === undefined) return false;
    return this.keys.delete(accessKeyId);
  }
}

// AWS key ids use the RFC 4648 base32 alphabet; 256 is a multiple of 32, so
// taking each byte modulo 32 is unbiased.
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function sessionKeyId(): string {
  const suffix = [...randomBytes(16)].map((byte) => BASE32[byte % 32]).join('');
  return `ASIA${suffix}`;
}

/** True for 127.0.0.0/8, ::1, their IPv4-mapped forms and "localhost". */
export function isLoopbackAddress(address: string): boolean {
  const host = address.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) {
    if (host === '::1' || /^0{0,4}(:0{0,4}){6}:0{0,3}1$/.test(host)) return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host);
    return mapped !== null && mapped[1].startsWith('127.');
  }
  return false;
}

import { hkdfSync } from 'node:crypto';

/** One master key's derived keys: never the master itself past construction. */
export interface DerivedKeys {
  encryption: Buffer;
}

/**
 * An app's keys: every encryption key by id (old ones still decrypt), the id new values are
 * written with, and the blind-index key. The index key is kept apart and not rotated with the
 * encryption keys: a blind index computed with another key would no longer find its row.
 */
export class Keyring {
  private readonly keys: ReadonlyMap<string, DerivedKeys>;

  constructor(
    masters: ReadonlyMap<string, Buffer>,
    readonly currentId: string,
    indexMaster: Buffer,
  ) {
    if (!masters.has(currentId)) throw new Error(`the current key ${currentId} is not among the keys`);
    this.keys = new Map(
      [...masters].map(([id, master]) => [id, { encryption: derive(master, 'encryption') }]),
    );
    this.indexKey = derive(indexMaster, 'blind-index');
  }

  readonly indexKey: Buffer;

  get ids(): string[] {
    return [...this.keys.keys()];
  }

  /** The key of `id`, or undefined (a value written with a key this keyring no longer has). */
  encryptionKey(id: string): Buffer | undefined {
    return this.keys.get(id)?.encryption;
  }
}

/** HKDF-SHA256: one 32-byte master gives independent keys per purpose. */
const derive = (master: Buffer, purpose: string): Buffer =>
  Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `sogoms-crypt-${purpose}`, 32));

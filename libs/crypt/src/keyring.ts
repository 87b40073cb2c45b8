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

  readonly indexKey: Buffer;

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

  /** The same keys with another current one (the check values are written with each key). */
  withCurrent(id: string): Keyring {
    const copy = Object.create(Keyring.prototype) as Keyring;
    Object.assign(copy, { keys: this.keys, currentId: id, indexKey: this.indexKey });
    if (!this.keys.has(id)) throw new Error(`the key ${id} is not among the keys`);
    return copy;
  }

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

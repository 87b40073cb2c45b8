export { FieldCipher, DecryptionError } from './field-cipher.js';
export { Keyring } from './keyring.js';
export { blindIndex, normalised, BLIND_INDEX_LENGTH, type IndexNormalisation } from './blind-index.js';
export type { FieldContext } from './field-context.js';
export {
  CRYPT_KEYS_FILE,
  KeyringFileError,
  addKeyToKeyringFile,
  createKeyringFile,
  isDemoKeyringFile,
  readKeyringFile,
} from './keyring-file.js';
export { CRYPT_PATTERNS, CryptActions, type CryptRequest } from './crypt-actions.js';

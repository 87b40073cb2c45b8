export { CryptController, CryptIpcModule } from './crypt-ipc.module.js';

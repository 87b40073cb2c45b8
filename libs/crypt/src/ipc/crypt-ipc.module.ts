import { Controller, Module, type DynamicModule } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CRYPT_PATTERNS, CryptActions } from '../crypt-actions.js';

/** The crypt actions as message handlers of the service that imports CryptIpcModule. */
@Controller()
export class CryptController {
  constructor(private readonly actions: CryptActions) {}

  @MessagePattern(CRYPT_PATTERNS.encrypt)
  encrypt(@Payload() payload: unknown): { value: string } {
    return this.actions.encrypt(payload);
  }

  @MessagePattern(CRYPT_PATTERNS.decrypt)
  decrypt(@Payload() payload: unknown): { value: string } {
    return this.actions.decrypt(payload);
  }

  @MessagePattern(CRYPT_PATTERNS.hash)
  hash(@Payload() payload: unknown): { sha256: string } {
    return this.actions.hash(payload);
  }
}

/**
 * `crypt.encrypt`, `crypt.decrypt`, `crypt.hash` on the importing service's own transport (no
 * crypt service process: docs/crypt.md says why). `dirOf` names an app's folder from the
 * service's configuration. CryptActions is exported for in-process use, which needs no socket.
 */
@Module({})
export class CryptIpcModule {
  static forApps(dirOf: (app: string) => string | undefined): DynamicModule {
    return {
      module: CryptIpcModule,
      controllers: [CryptController],
      providers: [{ provide: CryptActions, useFactory: () => new CryptActions(dirOf) }],
      exports: [CryptActions],
    };
  }
}

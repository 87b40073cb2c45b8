import { All, Controller } from '@nestjs/common';
import { SogomsError } from '@sogoms/common';

/** Answers what the host rewrite could not route, in the one error envelope. */
@Controller('_sogoms')
export class RoutingFallbackController {
  @All('unknown-host')
  unknownHost(): never {
    throw new SogomsError('NOT_FOUND', 'No app is served at this host');
  }
}

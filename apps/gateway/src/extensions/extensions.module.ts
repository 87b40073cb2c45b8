import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { ScenariosModule } from '../scenarios/scenarios.module.js';
import { CustomRouteController } from './custom-route.controller.js';
import { CustomRouteService } from './custom-route.service.js';

/** The apps' custom routes (scenarios and module handlers), matched before the generated API. */
@Module({
  imports: [AuthModule, ScenariosModule],
  controllers: [CustomRouteController],
  providers: [CustomRouteService],
})
export class ExtensionsModule {}

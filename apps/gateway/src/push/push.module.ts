import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { EventsController } from './events.controller.js';
import { EventsService } from './events.service.js';
import { PushDemoController } from './push-demo.controller.js';

/** Push for HTTP clients: `_events` catch-up and the demo page (the CRUD hook is built with the snapshot). */
@Module({
  imports: [AuthModule],
  controllers: [EventsController, PushDemoController],
  providers: [EventsService],
})
export class PushModule {}

import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { AdminGuard } from './admin.guard.js';
import { SchemaAdminController } from './schema-admin.controller.js';
import { SchemaAdminService } from './schema-admin.service.js';

/** An app's schema, read from its database and checked against schema.yaml, for admins. */
@Module({
  imports: [AuthModule],
  controllers: [SchemaAdminController],
  providers: [AdminGuard, SchemaAdminService],
})
export class SchemaAdminModule {}

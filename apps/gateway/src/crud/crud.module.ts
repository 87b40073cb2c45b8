import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { CrudController } from './crud.controller.js';
import { CrudService } from './crud.service.js';
import { IdempotencyRecords } from './idempotency-records.js';

/** The generated REST API: list, read, create, update, delete on every table of every app. */
@Module({
  imports: [AuthModule],
  controllers: [CrudController],
  providers: [CrudService, IdempotencyRecords],
})
export class CrudModule {}

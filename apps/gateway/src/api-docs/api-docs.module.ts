import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { ApiDocsService } from './api-docs.service.js';
import { OpenApiController } from './openapi.controller.js';
import { SchemaController } from './schema.controller.js';

/** Each app's OpenAPI document, Swagger UI and data dictionary. */
@Module({
  imports: [AuthModule],
  controllers: [SchemaController, OpenApiController],
  providers: [ApiDocsService],
})
export class ApiDocsModule {}

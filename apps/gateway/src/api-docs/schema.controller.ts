import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { ok, type SuccessEnvelope } from '@sogoms/common';
import { JwtAuthGuard } from '../auth/jwt-auth.guard.js';
import type { AppRuntime } from '../runtime/app-runtime.js';
import { CurrentApp } from '../http/current-app.decorator.js';
import { APP_ROUTE_PREFIX } from '../http/routed-request.js';
import { ApiDocsService } from './api-docs.service.js';
import type { DataDictionary, DictionaryTable } from './data-dictionary.js';

/** `{base}/_schema`: the data dictionary, for any authenticated user of the app. */
@Controller(`${APP_ROUTE_PREFIX}/_schema`)
@UseGuards(JwtAuthGuard)
export class SchemaController {
  constructor(private readonly docs: ApiDocsService) {}

  @Get()
  dictionary(@CurrentApp() app: AppRuntime): SuccessEnvelope<DataDictionary> {
    return ok(this.docs.dictionary(app));
  }

  @Get(':table')
  table(@CurrentApp() app: AppRuntime, @Param('table') table: string): SuccessEnvelope<DictionaryTable> {
    return ok(this.docs.table(app, table));
  }
}

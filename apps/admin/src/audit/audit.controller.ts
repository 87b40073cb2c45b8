import { Controller, Get, Query, Render } from '@nestjs/common';
import { SuperAdminOnly } from '../auth/access.decorators.js';
import { AuditService, type AuditView } from './audit.service.js';

/** Who did what, newest first (the `admin_audit` entries of the logs service). */
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @SuperAdminOnly()
  @Get()
  @Render('audit')
  list(@Query() query: Record<string, unknown>): Promise<AuditView> {
    return this.audit.view(query);
  }
}

import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  DB_PATTERNS,
  type DbPingResult,
  type DbProbeResult,
  type DbStats,
  type Row,
  type TransactionResult,
} from '@sogoms/ipc';
import type { RawDatabase } from '@sogoms/schema';
import { DbService } from '@sogoms/db';

/** The db service's message handlers; payloads are checked by DbService. */
@Controller()
export class DbController {
  constructor(private readonly db: DbService) {}

  @MessagePattern(DB_PATTERNS.query)
  query(@Payload() payload: unknown): Promise<Row[]> {
    return this.db.query(payload);
  }

  @MessagePattern(DB_PATTERNS.queryOne)
  queryOne(@Payload() payload: unknown): Promise<Row | null> {
    return this.db.queryOne(payload);
  }

  @MessagePattern(DB_PATTERNS.transaction)
  transaction(@Payload() payload: unknown): Promise<TransactionResult> {
    return this.db.transaction(payload);
  }

  @MessagePattern(DB_PATTERNS.ping)
  ping(@Payload() payload: unknown): Promise<DbPingResult> {
    return this.db.ping(payload);
  }

  @MessagePattern(DB_PATTERNS.introspect)
  introspect(@Payload() payload: unknown): Promise<RawDatabase> {
    return this.db.introspect(payload);
  }

  @MessagePattern(DB_PATTERNS.probe)
  probe(@Payload() payload: unknown): Promise<DbProbeResult> {
    return this.db.probe(payload);
  }

  @MessagePattern(DB_PATTERNS.stats)
  stats(): DbStats {
    return this.db.stats();
  }
}

import { Injectable } from '@nestjs/common';

/** The time source of the logs service; tests provide a fake one. Also the DI token. */
export abstract class Clock {
  abstract now(): Date;
}

@Injectable()
export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

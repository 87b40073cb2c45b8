import { SogomsError } from '@sogoms/common';
import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync } from 'class-validator';

/**
 * Turns a JSON body into a validated DTO, or a 400 VALIDATION_FAILED whose details name each
 * field with its problems. Unknown fields are refused, so a typo never passes silently.
 */
export const validatedBody = <T extends object>(dto: ClassConstructor<T>, body: unknown): T => {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new SogomsError('VALIDATION_FAILED', 'Request body must be a JSON object');
  }
  const instance = plainToInstance(dto, body);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length === 0) return instance;
  const details: Record<string, string[]> = {};
  for (const error of errors) {
    details[error.property] = Object.values(error.constraints ?? { invalid: `${error.property} is invalid` });
  }
  throw new SogomsError('VALIDATION_FAILED', 'Invalid request body', details);
};

import { SogomsError } from '@sogoms/common';
import type { FieldCheck } from './field-checks.js';

/** A field of a body: its checks in the order their messages are listed; optional skips null too. */
export interface FieldRules {
  checks: readonly FieldCheck[];
  optional?: boolean;
}

/** The fields a body may have, in the order they are checked. */
export type BodyRules<T> = { readonly [K in keyof T]-?: FieldRules };

/**
 * Turns a JSON body into a validated DTO, or a 400 VALIDATION_FAILED whose details name each
 * field with its problems. Unknown fields are refused, so a typo never passes silently.
 */
export const validatedBody = <T extends object>(rules: BodyRules<T>, body: unknown): T => {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new SogomsError('VALIDATION_FAILED', 'Request body must be a JSON object');
  }
  const fields = body as Record<string, unknown>;
  const details: Record<string, string[]> = {};
  for (const property of Object.keys(fields)) {
    if (!Object.hasOwn(rules, property)) details[property] = [`property ${property} should not exist`];
  }
  for (const [property, field] of Object.entries<FieldRules>(rules)) {
    const value = fields[property];
    if (field.optional === true && (value === undefined || value === null)) continue;
    const problems = field.checks
      .filter((check) => !check.test(value))
      .map((check) => check.message(property));
    if (problems.length > 0) details[property] = problems;
  }
  if (Object.keys(details).length > 0)
    throw new SogomsError('VALIDATION_FAILED', 'Invalid request body', details);
  return { ...fields } as T;
};

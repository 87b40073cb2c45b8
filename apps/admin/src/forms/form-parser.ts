import { validateSync } from 'class-validator';
import { FormRejected } from './form-rejected.js';

/**
 * A posted form as an instance of its DTO class, checked by class-validator (the admin's forms
 * have fixed shapes, unlike the generated API). Only the DTO's own fields are copied; a refusal
 * shows `view` again with the values and one message per field.
 */
export const parseForm = <T extends object>(
  Form: new () => T,
  body: unknown,
  view: string,
  model: Record<string, unknown> = {},
): T => {
  const form = new Form();
  const fields = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  for (const key of Object.keys(form)) {
    const value = fields[key];
    if (value !== undefined)
      (form as Record<string, unknown>)[key] = typeof value === 'string' ? value.trim() : value;
  }
  const problems = validateSync(form, { forbidUnknownValues: true });
  if (problems.length > 0) {
    const errors: Record<string, string> = {};
    for (const problem of problems)
      errors[problem.property] = Object.values(problem.constraints ?? {})[0] ?? 'not valid';
    throw new FormRejected(view, { ...model, form }, errors);
  }
  return form;
};

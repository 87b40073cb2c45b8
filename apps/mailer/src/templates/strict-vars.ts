import { SogomsError } from '@sogoms/common';

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);

/**
 * Template variables that throw VALIDATION_FAILED when a template reads one that was not given,
 * instead of rendering "undefined" or an empty string. Nested objects are wrapped too.
 */
export const strictVars = (
  vars: Record<string, unknown>,
  template: string,
  path = '',
): Record<string, unknown> =>
  new Proxy(vars, {
    get(target, key, receiver) {
      if (typeof key !== 'string' || key in Object.prototype)
        return Reflect.get(target, key, receiver) as unknown;
      if (!Object.hasOwn(target, key)) {
        throw new SogomsError(
          'VALIDATION_FAILED',
          `Template '${template}' uses variable '${path}${key}', which was not given`,
          {
            field: `vars.${path}${key}`,
          },
        );
      }
      const value = target[key];
      return isPlainObject(value) ? strictVars(value, template, `${path}${key}.`) : value;
    },
  });

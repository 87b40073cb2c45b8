import { isEmail, isString, maxLength, minLength } from '../http/field-checks.js';
import type { BodyRules } from '../http/validated-body.js';

export interface LoginDto {
  email: string;
  password: string;
}

export interface RegisterDto {
  email: string;
  password: string;
  name?: string | null;
}

// Each field's checks are listed in the order their messages have always come.

export const LOGIN_BODY: BodyRules<LoginDto> = {
  email: { checks: [minLength(1), maxLength(255), isString()] },
  password: { checks: [maxLength(1024), minLength(1), isString()] },
};

export const REGISTER_BODY: BodyRules<RegisterDto> = {
  email: { checks: [maxLength(255), isEmail()] },
  // The app's minimum length and the weak-password rules are checked by the service.
  password: { checks: [isString()] },
  name: { checks: [maxLength(255), minLength(1), isString()], optional: true },
};

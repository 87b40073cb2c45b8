import { OPAQUE_TOKEN } from '@sogoms/auth';
import { isEmail, isString, matches, maxLength } from '../http/field-checks.js';
import type { BodyRules } from '../http/validated-body.js';

export interface RefreshDto {
  refresh_token: string;
}

export interface EmailDto {
  email: string;
}
export type ForgotPasswordDto = EmailDto;

export interface TokenDto {
  token: string;
}

export interface ResetPasswordDto {
  token: string;
  password: string;
}

export interface ChangePasswordDto {
  current: string;
  new: string;
}

const opaqueToken = { checks: [matches(OPAQUE_TOKEN, 'a token as it was handed out (43 characters)')] };

export const REFRESH_BODY: BodyRules<RefreshDto> = { refresh_token: opaqueToken };
export const EMAIL_BODY: BodyRules<EmailDto> = { email: { checks: [maxLength(255), isEmail()] } };
export const TOKEN_BODY: BodyRules<TokenDto> = { token: opaqueToken };
// The password rules are the app's (auth.password), checked by the service.
export const RESET_BODY: BodyRules<ResetPasswordDto> = {
  token: opaqueToken,
  password: { checks: [isString()] },
};
export const CHANGE_BODY: BodyRules<ChangePasswordDto> = {
  current: { checks: [maxLength(1024), isString()] },
  new: { checks: [isString()] },
};

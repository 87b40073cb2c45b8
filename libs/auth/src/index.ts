export { TokenService, type TokenKey } from './token.service.js';
export { PasswordHasher } from './password-hasher.js';
export { DEFAULT_ROLE, ADMIN_ROLE, type TokenClaims } from './token-claims.js';
export {
  checkPassword,
  passwordProblems,
  DEFAULT_PASSWORD_RULES,
  type PasswordRules,
} from './password-policy.js';
export { newOpaqueToken, hashOpaqueToken, OPAQUE_TOKEN } from './opaque-token.js';

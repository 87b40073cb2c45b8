/** What a SOGOMS access token carries. `sub` is the user's id as a string (JWT convention). */
export interface TokenClaims {
  sub: string;
  role: string;
  email?: string;
  /** The session (refresh-token family) the token was issued for; absent on tokens made without one. */
  sid?: string;
}

/** The roles known today; apps may use others in their own data, the token carries the string. */
export const DEFAULT_ROLE = 'default';
export const ADMIN_ROLE = 'admin';

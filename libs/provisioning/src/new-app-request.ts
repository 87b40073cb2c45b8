import type { DatabaseUrl } from './database-url.js';

/** What a new app is made from: the CLI's flags or the admin's form. */
export interface NewAppRequest {
  /** The app's name and folder: [a-z][a-z0-9_-]*. */
  name: string;
  /** Default '1.0.0'. */
  version?: string;
  /** Host names (no port, no scheme), normalized to lower case; none already served by another app. */
  hosts: string[];
  /** Default '/api'. */
  basePath: string;
  database: DatabaseUrl;
  /** Typed by the user (at least 32 characters); generated (48 random bytes, base64url) when absent. */
  jwtSecret?: string;
  /** app.yaml's auth.jwt_expires_in; default '15m'. */
  jwtExpiresIn?: string;
  /** The users table to use; detected (or sogoms_users created) when absent. */
  authTable?: string;
  /** Add a role column to a users table that has none. */
  addRoleColumn?: boolean;
}

export const NEW_APP_DEFAULTS = { version: '1.0.0', basePath: '/api', jwtExpiresIn: '15m' } as const;

/** What provisionApp made. */
export interface ProvisionedApp {
  /** config/apps/{name}/ */
  dir: string;
  /** The paths of the files written. */
  appYaml: string;
  schemaYaml: string;
  /** Tables (and views) in schema.yaml. */
  tables: number;
  /** What was found or done (users table, role column, what the scan left out), for the person creating it. */
  notes: string[];
}

import { SogomsError } from '@sogoms/common';
import { describe, expect, it } from 'vitest';
import { canAccessApp, hasPermission, parsePermission } from './admin-permission.js';
import type { AdminUser } from './admin-user.js';

const appAdmin = (permissions: string[], extra: Partial<AdminUser> = {}): AdminUser => ({
  username: 'bob',
  role: 'app_admin',
  apps: ['shop', 'blog'],
  permissions,
  totpEnabled: false,
  disabled: false,
  passwordChangedAt: null,
  ...extra,
});
const superAdmin: AdminUser = { ...appAdmin([]), username: 'alice', role: 'super_admin', apps: [] };

describe('parsePermission', () => {
  it('reads {area}:{level} and a bare level', () => {
    expect(parsePermission('schema:read')).toEqual({ area: 'schema', level: 'read' });
    expect(parsePermission('users:write')).toEqual({ area: 'users', level: 'write' });
    expect(parsePermission('cron:*')).toEqual({ area: 'cron', level: '*' });
    expect(parsePermission('read')).toEqual({ area: '*', level: 'read' });
    expect(parsePermission('write')).toEqual({ area: '*', level: 'write' });
  });

  it.each([
    'schema',
    'schema:admin',
    'billing:read',
    '*',
    '*:read',
    'schema:read:x',
    '',
    'Schema:read',
    ' read',
  ])('refuses %j with VALIDATION_FAILED naming the entry', (text) => {
    const attempt = (): unknown => parsePermission(text);
    expect(attempt).toThrow(SogomsError);
    expect(attempt).toThrow(`bad permission ${JSON.stringify(text)}: expected {area}:{level}`);
    try {
      attempt();
    } catch (error) {
      expect((error as SogomsError).code).toBe('VALIDATION_FAILED');
    }
  });
});

describe('canAccessApp / hasPermission', () => {
  it('a super_admin opens every app and may do everything', () => {
    expect(canAccessApp(superAdmin, 'anything')).toBe(true);
    expect(hasPermission(superAdmin, 'anything', 'db', 'write')).toBe(true);
  });

  it('an app_admin opens its apps only, whatever its permissions', () => {
    const user = appAdmin(['write']);
    expect(canAccessApp(user, 'shop')).toBe(true);
    expect(canAccessApp(user, 'blog')).toBe(true);
    expect(canAccessApp(user, 'crm')).toBe(false);
    expect(hasPermission(user, 'crm', 'schema', 'read')).toBe(false);
  });

  it('area:read grants reading that area only', () => {
    const user = appAdmin(['schema:read']);
    expect(hasPermission(user, 'shop', 'schema', 'read')).toBe(true);
    expect(hasPermission(user, 'shop', 'schema', 'write')).toBe(false);
    expect(hasPermission(user, 'shop', 'logs', 'read')).toBe(false);
  });

  it('write implies read; * is both', () => {
    const user = appAdmin(['cron:write', 'logs:*']);
    expect(hasPermission(user, 'shop', 'cron', 'read')).toBe(true);
    expect(hasPermission(user, 'shop', 'cron', 'write')).toBe(true);
    expect(hasPermission(user, 'shop', 'logs', 'write')).toBe(true);
    expect(hasPermission(user, 'shop', 'emails', 'read')).toBe(false);
  });

  it('a bare read covers every area at that level', () => {
    const user = appAdmin(['read', 'db:write']);
    for (const area of ['schema', 'queries', 'emails', 'cron', 'logs', 'db', 'users'] as const)
      expect(hasPermission(user, 'blog', area, 'read')).toBe(true);
    expect(hasPermission(user, 'blog', 'users', 'write')).toBe(false);
    expect(hasPermission(user, 'blog', 'db', 'write')).toBe(true);
  });

  it('a disabled user has no app and no permission', () => {
    expect(canAccessApp({ ...superAdmin, disabled: true }, 'shop')).toBe(false);
    expect(hasPermission(appAdmin(['write'], { disabled: true }), 'shop', 'db', 'read')).toBe(false);
  });
});

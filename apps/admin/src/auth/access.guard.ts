import { Injectable, NotFoundException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { SogomsError } from '@sogoms/common';
import { AdminUsersFile, canAccessApp, hasPermission } from '@sogoms/admin-users';
import type { FastifyRequest } from 'fastify';
import { AdminSettings } from '../admin-settings.js';
import { APP_PERMISSION, PUBLIC_ROUTE, SUPER_ADMIN_ONLY, type AppPermission } from './access.decorators.js';
import { SignInRequired } from './sign-in-required.js';

/**
 * Every route passes here (APP_GUARD). A session names a user, who is read again from
 * admin_users.yaml on each request: a removed or disabled user, or one whose password changed
 * since signing in, is out at once. A route of an
 * app (`:app`) checks that app and the route's permission: another app's page is a 403, never
 * the page.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly users: AdminUsersFile,
    private readonly settings: AdminSettings,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets) === true) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const username = request.session.username;
    const user = username === undefined ? undefined : this.users.find(username);
    // A new password (CLI `admin passwd`) ends the sessions signed in before it.
    const changedAt = user?.passwordChangedAt == null ? 0 : Date.parse(user.passwordChangedAt);
    if (user === undefined || user.disabled || (request.session.signedInAt ?? 0) < changedAt) {
      if (username !== undefined) await request.session.destroy();
      throw new SignInRequired();
    }
    request.adminUser = user;
    if (
      this.reflector.getAllAndOverride<boolean>(SUPER_ADMIN_ONLY, targets) === true &&
      user.role !== 'super_admin'
    )
      throw new SogomsError('FORBIDDEN', 'Only a super_admin may do this.');
    const permission = this.reflector.get<AppPermission | undefined>(APP_PERMISSION, context.getHandler());
    if (permission === undefined) return true;
    const app = (request.params as Record<string, string | undefined>).app ?? '';
    if (!canAccessApp(user, app)) throw new SogomsError('FORBIDDEN', `App '${app}' is not one of yours.`);
    if (this.settings.app(app) === undefined) throw new NotFoundException(`no app '${app}'`);
    if (!hasPermission(user, app, permission.area, permission.level))
      throw new SogomsError(
        'FORBIDDEN',
        `You may not ${permission.level} ${permission.area} of app '${app}'.`,
      );
    return true;
  }
}

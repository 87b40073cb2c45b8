import { SetMetadata } from '@nestjs/common';
import type { AdminArea, AdminLevel } from '@sogoms/admin-users';

export const PUBLIC_ROUTE = 'sogoms.admin.public';
export const SUPER_ADMIN_ONLY = 'sogoms.admin.super_admin_only';
export const APP_PERMISSION = 'sogoms.admin.app_permission';

export interface AppPermission {
  area: AdminArea;
  level: AdminLevel;
}

/** Open without a session (the sign-in pages). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);

/** Only a super_admin (services, creating apps, admin sessions, the audit of everything). */
export const SuperAdminOnly = (): MethodDecorator & ClassDecorator => SetMetadata(SUPER_ADMIN_ONLY, true);

/** A page of the app named by the route's `:app`: the user needs that app and this permission. */
export const RequiresApp = (area: AdminArea, level: AdminLevel): MethodDecorator =>
  SetMetadata(APP_PERMISSION, { area, level } satisfies AppPermission);

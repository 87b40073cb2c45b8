import { Module } from '@nestjs/common';
import { PasswordHasher, TokenService } from '@sogoms/auth';
import { ScenariosModule } from '../scenarios/scenarios.module.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import { OptionalAuthGuard } from './optional-auth.guard.js';
import { WelcomeMail } from './welcome-mail.js';

/** Register (with its optional welcome mail), login and me; and the guards every other module uses to know who is calling. */
@Module({
  imports: [ScenariosModule],
  controllers: [AuthController],
  providers: [PasswordHasher, TokenService, AuthService, WelcomeMail, JwtAuthGuard, OptionalAuthGuard],
  exports: [TokenService, JwtAuthGuard, OptionalAuthGuard],
})
export class AuthModule {}

import { Module } from '@nestjs/common';
import { PasswordHasher, TokenService } from '@sogoms/auth';
import { ScenariosModule } from '../scenarios/scenarios.module.js';
import { AccountMail } from './account-mail.js';
import { AccountTables } from './account-tables.js';
import { AttemptCounters } from './attempt-counters.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { EmailVerificationService } from './email-verification.service.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import { LoginLimiter } from './login-limiter.js';
import { MailRequestLimiter } from './mail-request-limiter.js';
import { OneTimeTokens } from './one-time-tokens.js';
import { OptionalAuthGuard } from './optional-auth.guard.js';
import { PasswordController } from './password.controller.js';
import { PasswordService } from './password.service.js';
import { SessionStore } from './session-store.js';
import { SessionsController } from './sessions.controller.js';
import { SessionsService } from './sessions.service.js';
import { VerificationController } from './verification.controller.js';
import { WelcomeMail } from './welcome-mail.js';

/**
 * App users' accounts: register (with its optional welcome and verification mails), login with
 * failure limits, sessions (refresh, logout, list), password forgot/reset/change; and the guards
 * every other module uses to know who is calling.
 */
@Module({
  imports: [ScenariosModule],
  controllers: [AuthController, SessionsController, PasswordController, VerificationController],
  providers: [
    PasswordHasher,
    TokenService,
    AuthService,
    SessionsService,
    SessionStore,
    PasswordService,
    EmailVerificationService,
    AccountTables,
    AccountMail,
    AttemptCounters,
    LoginLimiter,
    MailRequestLimiter,
    OneTimeTokens,
    WelcomeMail,
    JwtAuthGuard,
    OptionalAuthGuard,
  ],
  exports: [TokenService, JwtAuthGuard, OptionalAuthGuard],
})
export class AuthModule {}

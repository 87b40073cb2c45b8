/** What the admin keeps in a server-side session (@fastify/session's `request.session`). */
declare module 'fastify' {
  interface Session {
    /** The signed-in admin user; absent before login. */
    username?: string;
    /** Password accepted, TOTP code still to come. */
    pendingUsername?: string;
    /** Epoch ms of login (the absolute expiry counts from it). */
    signedInAt?: number;
    ip?: string;
    userAgent?: string;
  }
}

export {};

export interface MariaDbTarget {
  host: string;
  port: number;
  user: string;
  password: string;
}

/** Why a probe failed, in words for the operator; `login` failures mean the server is there. */
export interface MariaDbProbeFailure {
  stage: 'connect' | 'login';
  reason: string;
}

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ETIMEDOUT: 'timed out',
  ENOTFOUND: 'unknown host',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'connection reset',
  PROTOCOL_CONNECTION_LOST: 'connection closed by the server',
};

const LOGIN_REASONS: Record<string, string> = {
  ER_ACCESS_DENIED_ERROR: 'access denied',
  ER_ACCESS_DENIED_NO_PASSWORD_ERROR: 'access denied',
  ER_HOST_NOT_PRIVILEGED: 'this host may not connect',
  ER_NOT_SUPPORTED_AUTH_MODE: 'authentication method not supported',
};

/**
 * Checks, before any service starts, that an app's MariaDB answers and accepts its login: a TCP
 * connection plus the handshake, without selecting a database (the db service may create it).
 */
export class MariaDbProbe {
  constructor(private readonly timeoutMs = 3000) {}

  async probe(target: MariaDbTarget): Promise<MariaDbProbeFailure | null> {
    try {
      // Imported when probing (start-up only): the supervisor keeps no driver in memory.
      const { createConnection } = await import('mysql2/promise');
      const connection = await createConnection({
        host: target.host,
        port: target.port,
        user: target.user,
        password: target.password,
        connectTimeout: this.timeoutMs,
      });
      await connection.end();
      return null;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const key = typeof code === 'string' ? code : '';
      // Driver messages are not shown: they can be long and say more than the operator needs.
      // Any server error code (ER_*) means the server answered: the login is what failed.
      // Too many connections: the server is there and the db service waits for room (docs/db.md).
      if (key === 'ER_CON_COUNT_ERROR') return null;
      if (key.startsWith('ER_')) return { stage: 'login', reason: LOGIN_REASONS[key] ?? key };
      return { stage: 'connect', reason: REASONS[key] ?? (key === '' ? 'unknown error' : key) };
    }
  }
}

import { SogomsError } from '@sogoms/common';
import type { ImapAccountConfig } from '@sogoms/config';
import type { ImapFlow } from 'imapflow';

/** How long a connect or a login may take before the account counts as unreachable. */
const CONNECT_TIMEOUT_MS = 10_000;

/** A new, unconnected imapflow client for one account (no logs of its own: the mailer logs what matters). */
export const imapClientFor = async (account: ImapAccountConfig): Promise<ImapFlow> =>
  // Loaded at the first IMAP connection: a mailer without imap: does not carry imapflow.
  new (await import('imapflow')).ImapFlow({
    host: account.host,
    port: account.port,
    secure: account.tls,
    auth: { user: account.user, pass: account.pass },
    tls: { rejectUnauthorized: account.rejectUnauthorized },
    logger: false,
    connectionTimeout: CONNECT_TIMEOUT_MS,
    greetingTimeout: CONNECT_TIMEOUT_MS,
  });

/** UNAVAILABLE naming the account, never the password or the server's raw reply. */
export const imapUnavailable = (app: string, account: ImapAccountConfig, error: unknown): SogomsError => {
  const reason =
    error instanceof Error && 'authenticationFailed' in error
      ? 'the login was refused'
      : 'it cannot be reached';
  return new SogomsError(
    'UNAVAILABLE',
    `The IMAP account '${account.name}' of app '${app}' (${account.host}:${account.port}): ${reason}`,
  );
};

/** Runs `work` on a fresh logged-in connection and logs out after it (an operator's command, not the watcher). */
export const withImapSession = async <T>(
  app: string,
  account: ImapAccountConfig,
  work: (client: ImapFlow) => Promise<T>,
): Promise<T> => {
  const client = await imapClientFor(account);
  // A connection error after connect() would otherwise be an unhandled 'error' event.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    throw imapUnavailable(app, account, error);
  }
  try {
    return await work(client);
  } finally {
    await client.logout().catch(() => client.close());
  }
};

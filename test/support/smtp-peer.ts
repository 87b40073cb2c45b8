import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

/** One message the peer accepted. */
export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  /** Whether the connection was TLS (STARTTLS or implicit) when the message came. */
  secure: boolean;
  /** The AUTH user, when the client logged in. */
  user: string | null;
}

export interface SmtpPeer {
  port: number;
  received: ReceivedMail[];
  /** RCPT TO attempts per address, accepted or not. */
  attempts: Map<string, number>;
  close(): Promise<void>;
}

const replyError = (code: number, text: string): Error =>
  Object.assign(new Error(text), { responseCode: code });

/**
 * A real SMTP server (smtp-server) on a free loopback port (or `port`). The recipient picks the answer:
 * `reject…@` gets 550 at once; `flaky…@` gets 451 on its first two attempts, then 250; any other
 * address 250. `options` switch on STARTTLS (smtp-server's built-in self-signed certificate) or AUTH.
 */
export const startSmtpPeer = async (
  options: SMTPServerOptions = {},
  port = 0,
  /** Holds each accepted message this long before the 250 (a slow server: a crash lands mid-bulk). */
  acceptDelayMs = 0,
): Promise<SmtpPeer> => {
  const received: ReceivedMail[] = [];
  const attempts = new Map<string, number>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    ...options,
    onRcptTo(address, _session, callback) {
      const seen = (attempts.get(address.address) ?? 0) + 1;
      attempts.set(address.address, seen);
      if (address.address.startsWith('reject')) return callback(replyError(550, '5.1.1 No such user'));
      if (address.address.startsWith('flaky') && seen <= 2)
        return callback(replyError(451, '4.3.0 Try again later'));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
          secure: session.secure,
          user: typeof session.user === 'string' ? session.user : null,
        });
        if (acceptDelayMs > 0) setTimeout(callback, acceptDelayMs);
        else callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  // A client killed mid-session (test/mailer-crash) leaves an EPIPE on its connection: a real
  // server logs it and serves the next client; unheard, it would be an uncaught exception.
  server.on('error', () => undefined);
  const address = server.server.address();
  const bound = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    port: bound,
    received,
    attempts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

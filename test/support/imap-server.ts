import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

const DOVECOT = '/usr/sbin/dovecot';
/** Dovecot's local delivery agent (dovecot-core): what an MTA runs to put a message into a maildir. */
const DOVECOT_LDA = '/usr/lib/dovecot/dovecot-lda';

/** A real IMAP server (Debian's Dovecot) of one test: its own config, users and maildirs in a temp folder. */
export interface ImapServer {
  host: string;
  port: number;
  /** The test users: each `{name}` with password `{name}-pass`. */
  users: readonly string[];
  passwordOf(user: string): string;
  /** A user's maildir (`cur`, `new`, `tmp` inside), for delivering while the server is down. */
  maildirOf(user: string): string;
  /** Delivers one message as an MTA would (dovecot-lda into the user's INBOX): no IMAP involved. */
  deliverLocally(user: string, raw: string | Buffer): void;
  /** Gives files written into the maildirs by the test to the mail user again. */
  fixOwnership(): void;
  /** Stops the server (the maildirs stay) and starts it again on the same port. */
  restart(): Promise<void>;
  stop(): void;
  /** Removes everything. */
  close(): void;
}

export const dovecotAvailable = (): boolean => existsSync(DOVECOT);

const mailOwner = (): { uid: number; gid: number } => {
  // Dovecot refuses to read mail as root: the maildirs belong to the package's own user.
  if (userInfo().uid !== 0) return { uid: userInfo().uid, gid: userInfo().gid };
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('dovecot:'));
  const [, , uid, gid] = (line ?? 'dovecot:x:65534:65534').split(':');
  return { uid: Number(uid), gid: Number(gid) };
};

const waitForPort = async (port: number, timeoutMs = 10_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`dovecot did not listen on ${port}`);
};

/** Starts Dovecot on a free loopback port, plain IMAP with LOGIN/PLAIN, IDLE on, users with maildirs. */
export const startImapServer = async (users: readonly string[] = ['tester']): Promise<ImapServer> => {
  const dir = mkdtempSync(join(tmpdir(), 'sogoms-imap-'));
  // Dovecot's auth and mail processes run as its own user: they must reach the files inside.
  chmodSync(dir, 0o755);
  const port = await freePort();
  const { uid, gid } = mailOwner();
  const mail = join(dir, 'mail');
  mkdirSync(mail);
  mkdirSync(join(dir, 'run'));
  const passwordOf = (user: string): string => `${user}-pass`;
  writeFileSync(
    join(dir, 'passwd'),
    users.map((u) => `${u}:{PLAIN}${passwordOf(u)}:${uid}:${gid}::${join(mail, u)}\n`).join(''),
  );
  for (const u of users) mkdirSync(join(mail, u));
  execFileSync('chown', ['-R', `${uid}:${gid}`, mail]);
  chownSync(mail, uid, gid);
  const conf = join(dir, 'dovecot.conf');
  writeFileSync(
    conf,
    `base_dir = ${join(dir, 'run')}
state_dir = ${join(dir, 'run')}
instance_name = sogoms-test-${port}
listen = 127.0.0.1
protocols = imap
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
log_path = ${join(dir, 'dovecot.log')}
postmaster_address = postmaster@localhost
mail_location = maildir:~/Maildir
first_valid_uid = 1
passdb {
  driver = passwd-file
  args = ${join(dir, 'passwd')}
}
userdb {
  driver = passwd-file
  args = ${join(dir, 'passwd')}
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
namespace inbox {
  inbox = yes
  mailbox failed {
    auto = create
  }
  mailbox Done {
    auto = create
  }
}
`,
  );
  const start = async (): Promise<void> => {
    // The master daemonises and keeps its stdio: no pipes, or spawnSync would wait for it forever.
    const run = spawnSync(DOVECOT, ['-c', conf], { stdio: 'ignore' });
    if (run.status !== 0)
      throw new Error(`dovecot did not start (exit ${run.status}): see ${join(dir, 'dovecot.log')}`);
    await waitForPort(port);
  };
  const stop = (): void => {
    spawnSync(DOVECOT, ['-c', conf, 'stop'], { stdio: 'ignore' });
    // `dovecot stop` returns before the master is gone: wait until its pid file is.
    const pidFile = join(dir, 'run', 'master.pid');
    const deadline = Date.now() + 5000;
    while (existsSync(pidFile) && Date.now() < deadline) spawnSync('sleep', ['0.05']);
  };
  await start();
  return {
    host: '127.0.0.1',
    port,
    users,
    passwordOf,
    maildirOf: (user) => {
      const maildir = join(mail, user, 'Maildir');
      for (const sub of ['cur', 'new', 'tmp']) mkdirSync(join(maildir, sub), { recursive: true });
      return maildir;
    },
    deliverLocally: (user, raw) => {
      const run = spawnSync(DOVECOT_LDA, ['-c', conf, '-d', user], { input: raw });
      if (run.status !== 0)
        throw new Error(`dovecot-lda exited ${run.status}: ${run.stderr.toString().trim()}`);
    },
    fixOwnership: () => execFileSync('chown', ['-R', `${uid}:${gid}`, mail]),
    restart: async () => {
      stop();
      await start();
    },
    stop,
    close: () => {
      stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

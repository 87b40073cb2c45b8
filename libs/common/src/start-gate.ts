import { connect } from 'node:net';

/**
 * Set by the supervisor: the Unix sockets of the services this one depends on, as a JSON list.
 * The supervisor spawns a service before its dependencies are up, so that loading its code (about
 * a second of a Nest process's start) overlaps theirs; the service waits here, after loading and
 * before it reads its configuration or connects anywhere, until every one of them accepts.
 */
export const START_AFTER_ENV = 'SOGOMS_START_AFTER';

const POLL_MS = 20;
/** Then start anyway: the service meets a missing dependency as it would after a crash of it. */
const GIVE_UP_MS = 120_000;

const accepts = (path: string): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect(path);
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });

/** The socket paths in `SOGOMS_START_AFTER`; none when it is absent or not a list of strings. */
export const startAfterSockets = (env: NodeJS.ProcessEnv = process.env): string[] => {
  const raw = env[START_AFTER_ENV];
  if (raw === undefined || raw === '') return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? parsed.filter((p): p is string => typeof p === 'string') : [];
  } catch {
    return [];
  }
};

/** Resolves once every socket named in `SOGOMS_START_AFTER` accepts a connection (at once without it). */
export const waitForStartDependencies = async (
  sockets: readonly string[] = startAfterSockets(),
  giveUpMs = GIVE_UP_MS,
): Promise<void> => {
  const deadline = Date.now() + giveUpMs;
  let pending = [...sockets];
  while (pending.length > 0 && Date.now() < deadline) {
    const answers = await Promise.all(pending.map(accepts));
    pending = pending.filter((_, i) => !answers[i]);
    if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
};

import type { Session } from 'fastify';
import { describe, expect, it } from 'vitest';
import { AdminSessionStore } from './admin-session-store.js';

const MINUTE = 60_000;

const session = (fields: Partial<Session>): Session => ({ cookie: { originalMaxAge: null }, ...fields });

const read = (store: AdminSessionStore, id: string): Promise<Session | null | undefined> =>
  new Promise((resolve) => store.get(id, (_error, found) => resolve(found)));

describe('AdminSessionStore', () => {
  const make = (): { store: AdminSessionStore; clock: { at: number } } => {
    const clock = { at: 0 };
    return { store: new AdminSessionStore(30 * MINUTE, 12 * 60 * MINUTE, () => clock.at), clock };
  };

  it('keeps a used session and ends it after the idle time without use', async () => {
    const { store, clock } = make();
    store.set('a', session({ username: 'root', signedInAt: 0 }), () => undefined);
    clock.at = 29 * MINUTE;
    expect(await read(store, 'a')).toMatchObject({ username: 'root' });
    clock.at = 58 * MINUTE; // 29 min after the last use
    expect(await read(store, 'a')).toMatchObject({ username: 'root' });
    clock.at = 89 * MINUTE;
    expect(await read(store, 'a')).toBeNull();
    store.close();
  });

  it('ends a session at the absolute lifetime however often it is used', async () => {
    const { store, clock } = make();
    store.set('a', session({ username: 'root', signedInAt: 0 }), () => undefined);
    for (let minute = 20; minute < 12 * 60; minute += 20) {
      clock.at = minute * MINUTE;
      expect(await read(store, 'a')).not.toBeNull();
    }
    clock.at = 12 * 60 * MINUTE + 1;
    expect(await read(store, 'a')).toBeNull();
    store.close();
  });

  it('lets a sign-in form session (no user) lapse after 5 minutes', async () => {
    const { store, clock } = make();
    store.set('form', session({}), () => undefined);
    clock.at = 6 * MINUTE;
    expect(await read(store, 'form')).toBeNull();
    store.close();
  });

  it('lists signed-in sessions only, and revokes one or all of a user', () => {
    const { store } = make();
    store.set('a', session({ username: 'root', signedInAt: 1 }), () => undefined);
    store.set('b', session({ username: 'root', signedInAt: 2 }), () => undefined);
    store.set('c', session({ username: 'alice', signedInAt: 3 }), () => undefined);
    store.set('form', session({}), () => undefined);
    expect(store.list().map((row) => row.id)).toEqual(['c', 'b', 'a']);
    expect(store.revoke('c')).toBe(true);
    expect(store.revokeUser('root')).toBe(2);
    expect(store.list()).toEqual([]);
    store.close();
  });
});

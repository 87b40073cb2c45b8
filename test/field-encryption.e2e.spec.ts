import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CRYPT_KEYS_FILE, createKeyringFile } from '@sogoms/crypt';
import { diffSchemas, migrationFor, parseSchemaYaml, type SchemaDef } from '@sogoms/schema';
import { TEST_MARIADB } from '@sogoms/schema/testing';
import { createDatabaseFromSchema } from './support/schema-database.js';
import { freePort } from './support/free-port.js';
import { dropDatabase, startStack, waitUntil, type TestStack } from './support/stack.js';
import { sqliteFileOf, writeTestConfig } from './support/test-config.factory.js';
import { ENGINES } from './support/test-engines.js';

const SECRET = 'field-encryption-secret-0123456789abcdef0123';
const SUFFIX = randomBytes(3).toString('hex');

const SCHEMA_YAML = `version: 1
tables:
  users:
    fields:
      id: { type: int, unsigned: true, primary: true, auto: true }
      email: { type: string, length: 190, unique: true, required: true, auth: login, encrypted: true, searchable: true }
      password_hash: { type: string, length: 100, required: true, hidden: true, auth: password }
      name: { type: string, length: 100, nullable: true }
      role: { type: enum, values: [default, admin], default: default }
  contacts:
    fields:
      id: { type: int, unsigned: true, primary: true, auto: true }
      owner_id: { type: int, unsigned: true, nullable: true, foreign: { table: users, field: id } }
      label: { type: string, length: 50, required: true }
      phone: { type: string, length: 30, nullable: true, encrypted: true, searchable: true }
      iban: { type: string, db_type: char, length: 34, nullable: true, encrypted: true }
      note: { type: text, nullable: true, encrypted: true }
    relations:
      owner: { type: belongs_to, table: users, field: owner_id, references: id }
`;

const schemaOf = (): SchemaDef => {
  const { schema, findings } = parseSchemaYaml(SCHEMA_YAML, 'schema.yaml');
  expect(findings).toEqual([]);
  return schema!;
};

describe.each(ENGINES)('field encryption through the generated API on %s', (engine) => {
  const DB = `sogoms_test_crypt_${SUFFIX}_${engine}`;
  let stack: TestStack;
  let sql: mysql.Connection | undefined;
  let token = '';
  let userId = 0;

  const call = (method: string, path: string, body?: unknown) =>
    stack.call({
      host: 'vault.test',
      method,
      path: `/api${path}`,
      headers: token === '' ? {} : { authorization: `Bearer ${token}` },
      body,
    });
  /** Behind the API's back, on the app's own database. */
  const query = async (text: string, params: unknown[] = []): Promise<Record<string, unknown>[]> => {
    if (engine === 'sqlite') {
      const db = new Database(sqliteFileOf(stack.config.configRoot, 'vault'));
      try {
        const statement = db.prepare(text);
        if (statement.reader) return statement.all(...params) as Record<string, unknown>[];
        statement.run(...params);
        return [];
      } finally {
        db.close();
      }
    }
    const [rows] = await sql!.query(text, params);
    return Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
  };

  beforeAll(async () => {
    const schema = schemaOf();
    const config = writeTestConfig(await freePort(), [
      {
        name: 'vault',
        hosts: ['vault.test'],
        database: DB,
        secret: SECRET,
        engine,
        schemaYaml: SCHEMA_YAML,
      },
    ]);
    createKeyringFile(join(config.configRoot, 'apps/vault', CRYPT_KEYS_FILE), 'vault');
    if (engine === 'mariadb') {
      await dropDatabase(DB);
      await createDatabaseFromSchema(DB, schema, []);
      sql = await mysql.createConnection({ ...TEST_MARIADB, database: DB });
    } else {
      const { statements } = migrationFor(diffSchemas(schema, { version: 1, tables: [] }), schema, {
        allowDrop: false,
        engine: 'sqlite',
      });
      const init = join(config.dir, 'vault-init.sql');
      writeFileSync(init, statements.map((s) => `${s};\n`).join(''));
      const appYaml = join(config.configRoot, 'apps/vault/app.yaml');
      writeFileSync(
        appYaml,
        readFileSync(appYaml, 'utf8').replace('driver: sqlite', `driver: sqlite\n  init: [${init}]`),
      );
    }
    stack = await startStack(config);
    const registered = await call('POST', '/auth/register', {
      email: 'Ann@Example.com',
      password: 'a-long-password-1',
      name: 'Ann',
    });
    expect(registered.status).toBe(201);
    token = registered.json.data.token as string;
    userId = Number(registered.json.data.user.id);
  }, 60_000);

  afterAll(async () => {
    await sql?.end();
    await stack?.stop();
    if (engine === 'mariadb') await dropDatabase(DB);
  });

  it('stores the email as an envelope with its blind index, and no address', async () => {
    const rows = await query('SELECT email, email_bidx FROM users');
    expect(rows).toHaveLength(1);
    expect(String(rows[0].email)).toMatch(/^v1:k1:[A-Za-z0-9_-]+$/);
    expect(String(rows[0].email_bidx)).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(rows)).not.toMatch(/example\.com/i);
  });

  it('logs in by the encrypted email, answers it in clear on /auth/me, and keeps emails unique', async () => {
    const saved = token;
    token = '';
    const login = await call('POST', '/auth/login', {
      email: ' ann@EXAMPLE.com',
      password: 'a-long-password-1',
    });
    expect(login.status).toBe(200);
    expect(login.json.data.user.email).toBe('ann@example.com');
    expect(login.json.data.user).not.toHaveProperty('email_bidx');
    const again = await call('POST', '/auth/register', {
      email: 'ANN@example.com',
      password: 'another-password-2',
    });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('CONFLICT');
    const wrong = await call('POST', '/auth/login', {
      email: 'ann@example.com',
      password: 'not-the-password',
    });
    expect(wrong.status).toBe(401);
    token = login.json.data.token as string;
    const me = await call('GET', '/auth/me');
    expect(me.json.data.user).toMatchObject({ id: userId, email: 'ann@example.com', name: 'Ann' });
    expect(me.json.data.user).not.toHaveProperty('email_bidx');
    token = saved;
  });

  it('round-trips every string type and unicode, storing only envelopes', async () => {
    const values = [
      { label: 'plain', phone: '+33 6 12 34 56 78', iban: 'FR7630006000011234567890189', note: 'short' },
      {
        label: 'unicode',
        phone: '☎ 東京 0312',
        iban: 'DE89370400440532013000',
        note: 'Zoë — 東京 🚀\n'.repeat(200),
      },
      { label: 'empty', phone: '', iban: '', note: '' },
      { label: 'nulls', phone: null, iban: null, note: null },
    ];
    for (const body of values) {
      const created = await call('POST', '/contacts', { ...body, owner_id: userId });
      expect(created.status).toBe(201);
      expect(created.json.data).toMatchObject(body);
      const read = await call('GET', `/contacts/${created.json.data.id}`);
      expect(read.json.data).toMatchObject(body);
    }
    const stored = await query('SELECT phone, phone_bidx, iban, note FROM contacts');
    for (const row of stored) {
      for (const column of ['phone', 'iban', 'note'])
        if (row[column] !== null) expect(row[column] as string).toMatch(/^v1:k1:/);
    }
    expect(JSON.stringify(stored)).not.toContain('FR7630006000011234567890189');
    // The plaintext's limits are checked, not the envelope's.
    const long = await call('POST', '/contacts', { label: 'x', phone: '1'.repeat(31) });
    expect(long.status).toBe(400);
    expect(long.json.error.details.phone[0]).toBe('phone must be at most 30 characters');
  });

  it('filters a searchable field by eq and in through its blind index, and says why anything else cannot', async () => {
    const eq = await call('GET', `/contacts?filter[phone]=${encodeURIComponent('+33 6 12 34 56 78')}`);
    expect(eq.status).toBe(200);
    expect(eq.json.data.map((r: { label: string }) => r.label)).toEqual(['plain']);
    const padded = await call('GET', `/contacts?filter[phone]=${encodeURIComponent('  +33 6 12 34 56 78 ')}`);
    expect(padded.json.data).toHaveLength(1);
    const inList = await call(
      'GET',
      `/contacts?filter[phone][in]=${encodeURIComponent('☎ 東京 0312')},nope&sort=-id`,
    );
    expect(inList.json.data.map((r: { label: string }) => r.label)).toEqual(['unicode']);
    const isNull = await call('GET', '/contacts?filter[note][null]=true');
    expect(isNull.json.data.map((r: { label: string }) => r.label)).toEqual(['nulls']);
    for (const [path, param, message] of [
      [
        '/contacts?filter[phone][like]=%2B33%25',
        'filter[phone][like]',
        'phone is encrypted: it filters only with eq, in and null (through its blind index), not like',
      ],
      [
        '/contacts?filter[phone][gt]=1',
        'filter[phone][gt]',
        'phone is encrypted: it filters only with eq, in and null (through its blind index), not gt',
      ],
      [
        '/contacts?filter[iban]=DE89370400440532013000',
        'filter[iban]',
        'iban is encrypted and not searchable: it filters only with null',
      ],
      [
        '/contacts?sort=phone',
        'sort',
        'cannot sort by phone: it is encrypted (its order is not in the database)',
      ],
      ['/contacts?filter[phone_bidx]=x', 'filter[phone_bidx]', 'unknown field phone_bidx'],
    ]) {
      const answer = await call('GET', path);
      expect(answer.status, path).toBe(400);
      expect(answer.json.error.code).toBe('VALIDATION_FAILED');
      expect(answer.json.error.details[param]).toEqual([message]);
    }
  });

  it('updates the envelope and its blind index together, and decrypts included rows', async () => {
    const [first] = (await call('GET', '/contacts?filter[label]=plain')).json.data as { id: number }[];
    const patched = await call('PATCH', `/contacts/${first.id}`, { phone: '+44 20 7946 0000' });
    expect(patched.json.data.phone).toBe('+44 20 7946 0000');
    expect(
      (await call('GET', `/contacts?filter[phone]=${encodeURIComponent('+33 6 12 34 56 78')}`)).json.data,
    ).toEqual([]);
    const found = await call(
      'GET',
      `/contacts?filter[phone]=${encodeURIComponent('+44 20 7946 0000')}&include=owner`,
    );
    expect(found.json.data).toHaveLength(1);
    expect(found.json.data[0].owner).toMatchObject({ id: userId, email: 'ann@example.com' });
    const reread = await call('GET', `/contacts/${first.id}?include=owner`);
    expect(reread.json.data.owner.email).toBe('ann@example.com');
  });

  it('refuses a tampered or moved value with DECRYPTION_FAILED naming table, field and row, and logs it', async () => {
    const created = await call('POST', '/contacts', {
      label: 'victim',
      note: 'secret note',
      owner_id: userId,
    });
    const id = Number(created.json.data.id);
    const [row] = await query('SELECT note FROM contacts WHERE id = ?', [id]);
    const envelope = String(row.note);
    const [version, keyId, body] = envelope.split(':');
    for (const offset of [0, 13, 30]) {
      const raw = Buffer.from(body, 'base64url');
      raw[offset] ^= 0x01; // an IV byte, a tag byte, a ciphertext byte
      await query('UPDATE contacts SET note = ? WHERE id = ?', [
        `${version}:${keyId}:${raw.toString('base64url')}`,
        id,
      ]);
      const answer = await call('GET', `/contacts/${id}`);
      expect(answer.status).toBe(500);
      expect(answer.json.error).toEqual({
        code: 'DECRYPTION_FAILED',
        message: `contacts.note of row ${id} could not be decrypted (tampered): the value was altered or the keys file is not the one it was written with`,
        details: { table: 'contacts', field: 'note', row: String(id), reason: 'tampered' },
      });
      expect(answer.text).not.toContain('secret');
      expect(answer.text).not.toContain(' at ');
    }
    // The user's email envelope, moved into another table's column, does not decrypt there.
    const [user] = await query('SELECT email FROM users');
    await query('UPDATE contacts SET note = ? WHERE id = ?', [user.email, id]);
    expect((await call('GET', `/contacts/${id}`)).json.error.code).toBe('DECRYPTION_FAILED');
    await query('UPDATE contacts SET note = ? WHERE id = ?', ['not an envelope', id]);
    expect((await call('GET', `/contacts?filter[label]=victim`)).json.error.details.reason).toBe(
      'not_an_envelope',
    );
    await waitUntil(
      'the decryption_failed log event',
      () =>
        Promise.resolve(
          readdirSync(stack.config.logDir)
            .filter((f) => f.startsWith('vault-'))
            .some((f) => {
              const text = readFileSync(join(stack.config.logDir, f), 'utf8');
              return text.includes('decryption_failed') && text.includes(`"row":"${id}"`);
            }),
        ),
      10_000,
    );
    const logs = readdirSync(stack.config.logDir).map((f) =>
      readFileSync(join(stack.config.logDir, f), 'utf8'),
    );
    expect(logs.join('\n')).not.toContain('secret note');
    await query('DELETE FROM contacts WHERE id = ?', [id]);
  });

  it('says in the OpenAPI document and _schema which fields are encrypted and how they filter', async () => {
    const dictionary = await call('GET', '/_schema');
    expect(dictionary.status).toBe(200);
    const contacts = (
      dictionary.json.data.tables as { name: string; fields: Record<string, unknown>[] }[]
    ).find((t) => t.name === 'contacts')!;
    expect(contacts.fields.find((f) => f.name === 'phone')).toMatchObject({
      encrypted: true,
      filters: ['eq', 'in', 'null'],
    });
    expect(contacts.fields.find((f) => f.name === 'iban')).toMatchObject({
      encrypted: true,
      filters: ['null'],
    });
    expect(contacts.fields.some((f) => f.name === 'phone_bidx')).toBe(false);
  });

  it('rotates the key under a read and write load without one failed request', async () => {
    const bulk = Array.from({ length: 400 }, (_, i) => ({
      label: `load ${i}`,
      phone: `+1 555 ${i}`,
      note: `n ${i}`,
    }));
    for (let i = 0; i < 3; i++) expect((await call('POST', '/contacts', bulk)).status).toBe(201);
    let running = true;
    const failures: string[] = [];
    let requests = 0;
    const load = async (worker: number): Promise<void> => {
      for (let i = 0; running; i++) {
        const answers = await Promise.all([
          call('GET', `/contacts?limit=50&offset=${(i * 50) % 1200}&include=owner`),
          call('GET', `/contacts?filter[phone]=${encodeURIComponent(`+1 555 ${i % 400}`)}`),
          call('POST', '/contacts', { label: `w${worker}-${i}`, phone: `+9 ${worker} ${i}`, note: 'during' }),
          call('GET', '/auth/me'),
        ]);
        requests += answers.length;
        for (const a of answers) if (a.status >= 300) failures.push(`${a.status} ${a.text.slice(0, 200)}`);
        const created = answers[2].json?.data as { id?: number } | undefined;
        if (created?.id !== undefined) {
          const patched = await call('PATCH', `/contacts/${created.id}`, { note: 'patched' });
          requests += 1;
          if (patched.status !== 200) failures.push(`${patched.status} ${patched.text.slice(0, 200)}`);
        }
      }
    };
    const workers = [load(1), load(2)];
    const rotation = await stack.cli('crypt', 'rotate', 'vault', '--batch', '50');
    running = false;
    await Promise.all(workers);
    expect(rotation.stderr).toBe('');
    expect(rotation.stdout).toContain('added key k2');
    expect(rotation.stdout).toMatch(/reloaded: .*gateway/);
    expect(rotation.stdout).toContain("every encrypted value of app 'vault' is on key k2");
    expect(rotation.code).toBe(0);
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(20);
    const stored = await query('SELECT email FROM users UNION ALL SELECT note FROM contacts');
    for (const row of stored) if (row.email !== null) expect(row.email as string).toMatch(/^v1:k2:/);
    const me = await call('GET', '/auth/me');
    expect(me.json.data.user.email).toBe('ann@example.com');
  }, 120_000);
});

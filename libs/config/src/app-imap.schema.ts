import { list, object } from './schema/config-schema.js';
import { bool, int, text } from './schema/scalar-schemas.js';

const ACCOUNT_NAME = /^[a-z][a-z0-9_-]{0,31}$/;
const FOLDER = /^[^\r\n\0*%]{1,200}$/;

/** One IMAP account of app.yaml `imap.accounts` (docs/mail-in.md). */
const imapAccountSchema = object({
  name: text({ pattern: ACCOUNT_NAME, format: 'an account name matching [a-z][a-z0-9_-]* (at most 32)' }),
  host: text(),
  port: int({ min: 1, max: 65535, default: 993 }),
  tls: bool({ default: true }),
  reject_unauthorized: bool({ default: true }),
  user: text(),
  pass: text({ secret: true }),
  watch: list(text({ pattern: FOLDER, format: 'a folder name (no line break, * or %)' }), {
    default: ['INBOX'],
    unique: true,
  }),
  poll_s: int({ min: 5, max: 86_400, default: 60 }),
  failed_folder: text({
    pattern: FOLDER,
    format: 'a folder name (no line break, * or %)',
    default: 'failed',
  }),
});

/** app.yaml `imap:`: the accounts the mailer reads for the app. */
export const imapSchema = object({ accounts: list(imapAccountSchema, { min: 1 }) }, (imap, report) => {
  const names = new Set<string>();
  imap.accounts.forEach((account, index) => {
    if (names.has(account.name))
      report(['accounts', index, 'name'], 'accounts with distinct names', account.name);
    names.add(account.name);
  });
});

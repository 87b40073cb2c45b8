import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './test-config.factory.js';

/**
 * The demo's schema.yaml with users.email plain: for suites that run the demo's tables on
 * sql/schema.sql and sql/seed.sql alone, under an app name of their own (an envelope is bound to
 * the app `prokov`). The demo as it ships, email encrypted, has its own suite (prokov-encrypted-email).
 */
export const plainDemoSchemaYaml = (): string => {
  const text = readFileSync(join(PROJECT_ROOT, 'config/apps/prokov/schema.yaml'), 'utf8');
  const plain = text.replace(
    '        auth: login\n        encrypted: true\n        searchable: true\n',
    '        auth: login\n',
  );
  if (plain === text)
    throw new Error('the demo schema.yaml no longer encrypts users.email as this helper expects');
  return plain;
};

// @sogoms/db/testing: a MariaDB test kit for specs and e2e tests only (ESLint keeps it out of production code).
export * from './db-test-kit.js';
export * from './db-socket.js';

import { createConnection, type Connection } from 'mysql2/promise';

/** The MariaDB server the bench uses (root on 127.0.0.1:3306 unless SOGOMS_BENCH_DB_URL says otherwise). */
export interface MysqlServer {
  host: string;
  port: number;
  user: string;
  password: string;
}

export const benchMysqlServer = (): MysqlServer => {
  const url = new URL(process.env.SOGOMS_BENCH_DB_URL ?? 'mysql://root@127.0.0.1:3306');
  return {
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username || 'root'),
    password: decodeURIComponent(url.password),
  };
};

/** `mysql://user:pass@host:port/database`, what `sogoms app create --database-url` takes. */
export const databaseUrl = (server: MysqlServer, database: string): string => {
  const auth =
    server.password === ''
      ? encodeURIComponent(server.user)
      : `${encodeURIComponent(server.user)}:${encodeURIComponent(server.password)}`;
  return `mysql://${auth}@${server.host}:${server.port}/${database}`;
};

/** Runs `work` on one connection (optionally in `database`) and closes it. */
export const withConnection = async <T>(
  server: MysqlServer,
  work: (connection: Connection) => Promise<T>,
  database?: string,
): Promise<T> => {
  const connection = await createConnection({ ...server, database, multipleStatements: false });
  try {
    return await work(connection);
  } finally {
    await connection.end();
  }
};

export const databaseExists = (server: MysqlServer, database: string): Promise<boolean> =>
  withConnection(server, async (connection) => {
    const [rows] = await connection.query('SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [
      database,
    ]);
    return (rows as unknown[]).length > 0;
  });

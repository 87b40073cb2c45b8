/** Where a new app's database is: what app.yaml's `database:` will say (secrets aside). */
export type DatabaseUrl = MariaDbUrl | SqliteUrl;

export interface MariaDbUrl {
  driver: 'mariadb';
  host: string;
  port: number;
  user: string;
  password: string;
  name: string;
}

export interface SqliteUrl {
  driver: 'sqlite';
  /** Absolute: a relative path is taken from the current directory. */
  file: string;
  /** The file's name without extension, as app.yaml defaults it. */
  name: string;
}

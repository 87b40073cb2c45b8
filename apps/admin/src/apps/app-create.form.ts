import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';

/** The "new app" form: what @sogoms/provisioning needs, as typed. */
export class AppCreateForm {
  @Matches(/^[a-z][a-z0-9_-]{0,63}$/, {
    message: 'Lower-case letters, digits, - and _, starting with a letter.',
  })
  name = '';

  @Matches(/^[0-9A-Za-z.+-]{1,32}$/, { message: 'A version such as 1.0.0.' })
  version = '1.0.0';

  @Matches(/^(\/[A-Za-z0-9._~-]+)+$/, { message: 'Starts with / and has no trailing slash, e.g. /api.' })
  base_path = '/api';

  /** Comma- or space-separated host names. */
  @Length(1, 1000, { message: 'At least one host name.' })
  hosts = '';

  @Length(1, 255, { message: 'The database server.' })
  db_host = '127.0.0.1';

  @Matches(/^\d{1,5}$/, { message: 'A port number.' })
  db_port = '3306';

  @Length(1, 80, { message: 'The database user.' })
  db_user = '';

  @IsString()
  @Length(0, 256)
  db_password = '';

  @Matches(/^[A-Za-z0-9_$-]{1,64}$/, { message: 'The database name.' })
  db_name = '';

  @IsIn(['generate', 'typed'])
  jwt_mode = 'generate';

  @IsOptional()
  @IsString()
  @Length(0, 512)
  jwt_secret = '';

  @Matches(/^\d+[smhd]?$/, { message: 'A duration such as 15m, 1h or 7d.' })
  jwt_expires_in = '15m';
}

/** What "test connection" takes: the database fields of the same form. */
export class ConnectionForm {
  @Length(1, 255, { message: 'The database server.' })
  db_host = '';

  @Matches(/^\d{1,5}$/, { message: 'A port number.' })
  db_port = '3306';

  @Length(1, 80, { message: 'The database user.' })
  db_user = '';

  @IsString()
  db_password = '';

  @Length(1, 64, { message: 'The database name.' })
  db_name = '';
}

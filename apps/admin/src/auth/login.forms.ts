import { IsNotEmpty, IsString, Length, Matches } from 'class-validator';

export class LoginForm {
  @IsString()
  @Length(1, 64, { message: 'Enter your username.' })
  username = '';

  @IsString()
  @IsNotEmpty({ message: 'Enter your password.' })
  @Length(1, 256)
  password = '';
}

export class TotpForm {
  @Matches(/^\d{6}$/, { message: 'Enter the 6-digit code from your authenticator app.' })
  code = '';
}

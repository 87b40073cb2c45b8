import { IsEmail, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

export class LoginDto {
  @IsString()
  @MaxLength(255)
  @MinLength(1)
  email!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  password!: string;
}

export class RegisterDto {
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(255)
  email!: string;

  // The app's minimum length and the weak-password rules are checked by the service.
  @IsString()
  password!: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  name?: string;
}

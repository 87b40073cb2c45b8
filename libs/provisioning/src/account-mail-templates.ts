/**
 * The account mails `sogoms app create` writes into a new app's emails/ (the demo app ships the
 * same files): the gateway sends them for `POST /auth/password/forgot` (`auth.reset_mail`) and
 * for email verification (`auth.verify_mail`). Variables: email, name, token, link (empty
 * without `auth.reset_url` / `auth.verify_url`), expires_minutes.
 */
export const ACCOUNT_MAIL_TEMPLATES: Readonly<Record<string, string>> = {
  'password-reset.yaml': `# Sent for POST /auth/password/forgot (app.yaml auth.reset_mail). Variables: email, name, token,
# link (auth.reset_url with the token, or empty), expires_minutes.
subject: 'Reset your password'
text: |
  Hello <%= it.name %>,

  someone (hopefully you) asked to reset the password of <%= it.email %>.
  <% if (it.link) { %>Open this link to choose a new one: <%= it.link %><% } else { %>Your reset code: <%= it.token %><% } %>

  It works once, for <%= it.expires_minutes %> minutes. If you did not ask, ignore this mail.
`,
  'verify-email.yaml': `# Sent after POST /auth/register when app.yaml has auth.verify_email: true, and for
# POST /auth/verify/resend (auth.verify_mail). Variables: email, name, token, link, expires_minutes.
subject: 'Confirm your email address'
text: |
  Hello <%= it.name %>,

  please confirm that <%= it.email %> is your address.
  <% if (it.link) { %>Open this link: <%= it.link %><% } else { %>Your confirmation code: <%= it.token %><% } %>

  It works once, for <%= it.expires_minutes %> minutes.
`,
};

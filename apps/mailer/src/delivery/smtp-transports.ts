import { readFileSync } from 'node:fs';
import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { SmtpConfig } from '@sogoms/config';
import type { Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';
import type { MailApp } from '../mailer-settings.js';
import type { OutgoingMessage } from '../message/outgoing-message.js';

interface AppTransport {
  /** The settings it was built from: a reload that changes them builds a new one. */
  key: string;
  transporter: Transporter<SMTPPool.SentMessageInfo>;
}

const optionsOf = (smtp: SmtpConfig): SMTPPool.Options => ({
  pool: true,
  host: smtp.host,
  port: smtp.port,
  secure: smtp.secure,
  requireTLS: smtp.starttls === 'required',
  ignoreTLS: smtp.starttls === 'off',
  auth: smtp.auth === null ? undefined : { user: smtp.auth.user, pass: smtp.auth.pass },
  maxConnections: smtp.pool,
  ...(smtp.ratePerSecond > 0 ? { rateDelta: 1000, rateLimit: smtp.ratePerSecond } : {}),
  tls: {
    rejectUnauthorized: smtp.tls.rejectUnauthorized,
    ...(smtp.tls.caFile === null ? {} : { ca: readFileSync(smtp.tls.caFile, 'utf8') }),
  },
  connectionTimeout: 10_000,
  greetingTimeout: 10_000,
  socketTimeout: 30_000,
});

/**
 * One pooled nodemailer transport per app (docs/mailer.md says why not @nestjs-modules/mailer),
 * built on first use and rebuilt when the app's `smtp:` changes.
 */
@Injectable()
export class SmtpTransports implements OnApplicationShutdown {
  private readonly transports = new Map<string, AppTransport>();

  /** Sends one message; resolves with the server's message id, rejects with nodemailer's error. */
  async send(app: MailApp, message: OutgoingMessage): Promise<string | null> {
    const transporter = await this.transportOf(app);
    const info = await transporter.sendMail({
      from: message.from,
      replyTo: message.replyTo ?? undefined,
      to: message.to,
      cc: message.cc,
      bcc: message.bcc,
      subject: message.subject,
      text: message.text ?? undefined,
      html: message.html ?? undefined,
      headers: message.headers,
      attachments: message.attachments.map((a) => ({
        filename: a.filename,
        content: a.content,
        encoding: 'base64',
        contentType: a.contentType ?? undefined,
      })),
    });
    return typeof info.messageId === 'string' ? info.messageId : null;
  }

  /** Closes the transports of apps that no longer send mail. */
  retain(apps: readonly MailApp[]): void {
    const names = new Set(apps.map((app) => app.name));
    for (const [name, transport] of this.transports) {
      if (names.has(name)) continue;
      transport.transporter.close();
      this.transports.delete(name);
    }
  }

  onApplicationShutdown(): void {
    for (const transport of this.transports.values()) transport.transporter.close();
    this.transports.clear();
  }

  private async transportOf(app: MailApp): Promise<Transporter<SMTPPool.SentMessageInfo>> {
    const key = JSON.stringify(app.smtp);
    const current = this.transports.get(app.name);
    if (current?.key === key) return current.transporter;
    // Loaded at the first send: an idle mailer does not carry nodemailer (about 10 MB RSS).
    const { default: nodemailer } = await import('nodemailer');
    const again = this.transports.get(app.name);
    if (again?.key === key) return again.transporter;
    again?.transporter.close();
    const transporter = nodemailer.createTransport(optionsOf(app.smtp));
    this.transports.set(app.name, { key, transporter });
    return transporter;
  }
}

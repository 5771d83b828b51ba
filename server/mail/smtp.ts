// Real mail: an SMTP transport (nodemailer) from ACCORD_SMTP_URL, e.g.
// smtp://user:pass@mail.example.org:587 or smtps://…:465; ACCORD_MAIL_FROM
// names the sender. Plain text only, as every Accord message is. A message
// that cannot be handed to the SMTP server rejects, so the caller can take
// back what it stored for it.
import nodemailer from 'nodemailer';
import type { MailMessage, MailTransport } from './transport';

export const DEFAULT_MAIL_FROM = 'Accord <accord@localhost>';

export function smtpTransport(url: string, from: string = DEFAULT_MAIL_FROM): MailTransport {
  const parsed = new URL(url);
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') throw new Error(`ACCORD_SMTP_URL must start with smtp:// or smtps://, not ${parsed.protocol}//`);
  const transporter = nodemailer.createTransport(url);
  return {
    async send(message: MailMessage) {
      await transporter.sendMail({ from, to: message.to, subject: message.subject, text: message.text });
    },
  };
}

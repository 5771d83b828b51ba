// The default transport: sends nothing, and writes each message, link
// included, to the server's standard output, so an operator without a mail
// server can pass the link on by hand. Not for production use with real
// contacts: the output holds personal data (the recipient's address).
import type { MailMessage, MailTransport } from './transport';

export function consoleTransport(write: (text: string) => void = (text) => void process.stdout.write(text)): MailTransport {
  return {
    async send(message: MailMessage) {
      const body = message.text.replace(/\n*$/, '\n');
      write(`[accord] mail (not sent; console transport)\nTo: ${message.to}\nSubject: ${message.subject}\n\n${body}[accord] end of mail\n`);
    },
  };
}

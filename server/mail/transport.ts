// Outgoing mail, behind the smallest interface that can carry it. The server
// only ever needs to send plain-text messages (confirmation links); how they
// travel (SMTP, an HTTP API, the console) is a transport's business.

export interface MailMessage {
  to: string;
  subject: string;
  /** Plain text; links are written out in full. */
  text: string;
}

export interface MailTransport {
  /** Resolves once the message is handed over; rejects when it could not be. */
  send(message: MailMessage): Promise<void>;
}

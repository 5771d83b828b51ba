// The mail that tells a participant what was decided on an amendment they
// proposed or supported, in the recipient's language (their account's choice,
// English when they made none).
import type { User } from '../../core/api';
import { localeOf } from '../../core/i18n/account-locale';
import { DEFAULT_LOCALE } from '../../core/i18n/locales';
import { mailText } from '../../core/i18n/messages/mail';
import type { MailMessage } from '../mail/transport';

export interface DecisionMailFacts {
  number: number;
  title: string;
  section: string;
  quote: string;
  proposed: string;
  verdict: 'accepted' | 'rejected';
  reason: string;
  decider: { name: string; organization: string };
  documentUrl: string;
}

export function decisionMail(person: User, role: 'proposed' | 'supported', f: DecisionMailFacts): MailMessage {
  const t = mailText(localeOf(person) ?? DEFAULT_LOCALE);
  const text = [
    t.t('decision.hello', { name: person.name }),
    '',
    t.t('decision.what', { number: f.number, title: f.title, section: f.section, role, verdict: f.verdict, decider: f.decider.name, organization: f.decider.organization }),
    '',
    t.t('decision.quoted', { quote: f.quote }),
    t.t('decision.proposed', { proposed: f.proposed }),
    f.reason ? t.t('decision.reason', { reason: f.reason }) : t.t('decision.noReason'),
    f.verdict === 'accepted' ? `\n${t.t('decision.accepted')}` : '',
    '',
    t.t('decision.open', { url: f.documentUrl }),
    '',
    t.t('decision.recorded'),
  ].join('\n');
  return { to: person.email, subject: t.t('decision.subject', { number: f.number, verdict: f.verdict, title: f.title }), text };
}

import type { Messages } from '../../translator';
import type { en } from './en';

export const fr: Messages<typeof en> = {
  'decision.subject': 'Amendement {number} {verdict, select, accepted {adopté} other {rejeté}} : {title}',
  'decision.hello': 'Bonjour {name},',
  'decision.what': 'L’amendement {number} à « {title} » (section {section}), que vous avez {role, select, proposed {proposé} other {appuyé}}, a été {verdict, select, accepted {adopté} other {rejeté}} par {decider} ({organization}).',
  'decision.quoted': 'Texte cité : « {quote} »',
  'decision.proposed': 'Proposition : « {proposed} »',
  'decision.reason': 'Motif indiqué : {reason}',
  'decision.noReason': 'Aucun motif n’a été indiqué.',
  'decision.accepted': 'Le texte proposé fait désormais partie du texte en cours.',
  'decision.open': 'Ouvrir le document : {url}',
  'decision.recorded': 'Cette décision est consignée dans l’historique signé du document.',
};

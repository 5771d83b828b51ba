import type { Messages } from '../../translator';
import type { en } from './en';

export const es: Messages<typeof en> = {
  'decision.subject': 'Enmienda {number} {verdict, select, accepted {aprobada} other {rechazada}}: {title}',
  'decision.hello': 'Estimado/a {name}:',
  'decision.what': 'La enmienda {number} a «{title}» (sección {section}), que usted {role, select, proposed {propuso} other {apoyó}}, fue {verdict, select, accepted {aprobada} other {rechazada}} por {decider} ({organization}).',
  'decision.quoted': 'Texto citado: «{quote}»',
  'decision.proposed': 'Propuesta:    «{proposed}»',
  'decision.reason': 'Motivo indicado: {reason}',
  'decision.noReason': 'No se indicó ningún motivo.',
  'decision.accepted': 'El texto propuesto forma ya parte del texto vigente.',
  'decision.open': 'Abrir el documento: {url}',
  'decision.recorded': 'Esta decisión consta en el historial firmado del documento.',
};

import type { Messages } from '../../translator';
import type { en } from './en';

export const ru: Messages<typeof en> = {
  'decision.subject': 'Поправка {number} {verdict, select, accepted {принята} other {отклонена}}: {title}',
  'decision.hello': 'Здравствуйте, {name}!',
  'decision.what': 'Поправка {number} к документу «{title}» (раздел {section}), которую вы {role, select, proposed {предложили} other {поддержали}}, {verdict, select, accepted {принята} other {отклонена}}; решение принял(а) {decider} ({organization}).',
  'decision.quoted': 'Цитируемый текст: «{quote}»',
  'decision.proposed': 'Предложено:       «{proposed}»',
  'decision.reason': 'Указанная причина: {reason}',
  'decision.noReason': 'Причина не указана.',
  'decision.accepted': 'Предложенный текст теперь включён в текущий текст.',
  'decision.open': 'Открыть документ: {url}',
  'decision.recorded': 'Это решение занесено в подписанную историю документа.',
};

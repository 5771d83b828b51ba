import type { Messages } from '../../translator';
import type { en } from './en';

export const ar: Messages<typeof en> = {
  'decision.subject': 'التعديل {number} {verdict, select, accepted {مقبول} other {مرفوض}}: {title}',
  'decision.hello': 'السيد(ة) {name}،',
  'decision.what': '{verdict, select, accepted {قبل} other {رفض}} {decider} ({organization}) التعديل {number} على "{title}" (القسم {section})، الذي {role, select, proposed {اقترحته} other {أيدته}}.',
  'decision.quoted': 'النص المقتبس: "{quote}"',
  'decision.proposed': 'النص المقترح: "{proposed}"',
  'decision.reason': 'السبب المقدَّم: {reason}',
  'decision.noReason': 'لم يُقدَّم أي سبب.',
  'decision.accepted': 'أصبح النص المقترح الآن جزءًا من النص الحالي.',
  'decision.open': 'فتح الوثيقة: {url}',
  'decision.recorded': 'هذا القرار مسجل في السجل التاريخي الموقّع للوثيقة.',
};

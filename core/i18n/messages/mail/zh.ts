import type { Messages } from '../../translator';
import type { en } from './en';

export const zh: Messages<typeof en> = {
  'decision.subject': '修正案 {number} {verdict, select, accepted {已被接受} other {已被拒绝}}：{title}',
  'decision.hello': '{name}，您好：',
  'decision.what': '您{role, select, proposed {提出} other {支持}}的“{title}”修正案 {number}（{section} 节）已由 {decider}（{organization}）{verdict, select, accepted {接受} other {拒绝}}。',
  'decision.quoted': '引用的文本：“{quote}”',
  'decision.proposed': '提议的文本：“{proposed}”',
  'decision.reason': '给出的理由：{reason}',
  'decision.noReason': '未给出理由。',
  'decision.accepted': '提议的文本现已纳入当前文本。',
  'decision.open': '打开文件：{url}',
  'decision.recorded': '这一决定已记录在本文件的签名历史中。',
};

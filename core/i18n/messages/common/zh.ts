import type { Messages } from '../../translator';
import type { en } from './en';

export const zh: Messages<typeof en> = {
  'language.label': '界面语言',
  'language.changed': '界面语言已切换为{language}。',
  'count.words': '{count, plural, other {# 个词}}',
};

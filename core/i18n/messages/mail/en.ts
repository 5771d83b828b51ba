// Mail to participants (accounts): the decision on an amendment they proposed
// or supported, in the recipient's language.
export const en = {
  'decision.subject': 'Amendment {number} {verdict, select, accepted {accepted} other {rejected}}: {title}',
  'decision.hello': 'Hello {name},',
  'decision.what': 'Amendment {number} to "{title}" (section {section}), which you {role, select, proposed {proposed} other {supported}}, was {verdict, select, accepted {accepted} other {rejected}} by {decider} ({organization}).',
  'decision.quoted': 'Text quoted: "{quote}"',
  'decision.proposed': 'Proposed:    "{proposed}"',
  'decision.reason': 'Reason given: {reason}',
  'decision.noReason': 'No reason was given.',
  'decision.accepted': 'The proposed text is now part of the live text.',
  'decision.open': 'Open the document: {url}',
  'decision.recorded': 'This decision is recorded in the document\'s signed history.',
} as const;

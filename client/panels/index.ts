// The panels of the right-hand sidebar, in tab order. Add a panel here
// (amendments, endorsements) and the document page shows it as a tab.
import { historyPanel } from './history';
import { amendmentsPanel } from './amendments';
import { endorsementsPanel } from './endorsements';
import { authorsPanel } from './authors';
import type { PanelDefinition } from './types';

export const sidePanels: PanelDefinition[] = [historyPanel, amendmentsPanel, endorsementsPanel, authorsPanel];
export type { DocumentContext, PanelDefinition } from './types';

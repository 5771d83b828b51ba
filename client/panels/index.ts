// The panels of the right-hand sidebar, in tab order. Add a panel here
// (amendments, endorsements) and the document page shows it as a tab.
import { versionsPanel } from './versions/index';
import { amendmentsPanel } from './amendments/index';
import { endorsementsPanel } from './endorsements/index';
import { authorsPanel } from './authors';
import type { PanelDefinition } from './types';

export const sidePanels: PanelDefinition[] = [versionsPanel, amendmentsPanel, endorsementsPanel, authorsPanel];
export type { DocumentContext, PanelDefinition } from './types';

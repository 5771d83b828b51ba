// The wide area over the text column (the "stage"): a redline, or the text
// at a history point, opens there over the live editor, which stays
// connected underneath. One overlay of each kind at a time (a new one
// replaces the old); the stage is marked `has-overlay` while any is open.
export type OverlayKind = 'redline' | 'history-point';

export interface StageOverlays {
  /** Shows `element` over the text, closing the open overlay of the same kind first; returns its close. */
  open(kind: OverlayKind, element: HTMLElement, onClose?: () => void): () => void;
}

interface Open {
  element: HTMLElement;
  onClose: (() => void) | undefined;
}

export function stageOverlays(stage: HTMLElement): StageOverlays {
  const shown = new Map<OverlayKind, Open>();
  const close = (kind: OverlayKind, entry: Open): void => {
    if (shown.get(kind) !== entry) return;
    shown.delete(kind);
    entry.element.remove();
    stage.classList.toggle('has-overlay', shown.size > 0);
    entry.onClose?.();
  };
  return {
    open(kind, element, onClose) {
      const previous = shown.get(kind);
      if (previous) close(kind, previous);
      const entry: Open = { element, onClose };
      shown.set(kind, entry);
      stage.classList.add('has-overlay');
      stage.append(element);
      return () => close(kind, entry);
    },
  };
}

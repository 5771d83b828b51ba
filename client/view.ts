// The client's one way to show state that changes: a store holds a view's
// state in one place, and lit-html renders a template function of it. The
// renderer updates only what changed and keeps every other DOM node as it
// was, so a live update never takes the focus, the caret or a half-typed
// text from the person using the page. Nothing here touches innerHTML with
// data: lit-html puts every value in as text or a property.
import { render } from 'lit-html';
import type { Cleanup } from './dom';

export { html, nothing, type TemplateResult } from 'lit-html';
export { repeat } from 'lit-html/directives/repeat.js';
export { live } from 'lit-html/directives/live.js';
export { ref } from 'lit-html/directives/ref.js';
export { ifDefined } from 'lit-html/directives/if-defined.js';

/** One view's state and the way to change it: each change is a new value, never an edit in place. */
export interface Store<S> {
  get(): S;
  /** Merges `change` (or what it returns for the current state) into a new state, then tells the listeners. */
  update(change: Partial<S> | ((state: S) => Partial<S>)): void;
  subscribe(listener: (state: S) => void): () => void;
}

export function createStore<S extends object>(initial: S): Store<S> {
  let state = initial;
  const listeners = new Set<(state: S) => void>();
  return {
    get: () => state,
    update(change) {
      const patch = typeof change === 'function' ? change(state) : change;
      state = { ...state, ...patch };
      for (const listener of [...listeners]) listener(state);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/**
 * Renders `view(state)` into `container` now and after every change of the
 * store. A change made while rendering (a ref callback's) renders once more
 * afterwards, never inside the render that caused it.
 */
export function mountView<S>(container: HTMLElement, store: Store<S>, view: (state: S) => unknown): Cleanup {
  let rendering = false;
  let again = false;
  const paint = (): void => {
    if (rendering) {
      again = true;
      return;
    }
    rendering = true;
    try {
      do {
        again = false;
        render(view(store.get()), container);
      } while (again);
    } finally {
      rendering = false;
    }
  };
  const unsubscribe = store.subscribe(paint);
  paint();
  return unsubscribe;
}


/** A copy of `map` with `key` set to `value` (removed when undefined): for state that is never edited in place. */
export function withEntry<K, V>(map: ReadonlyMap<K, V>, key: K, value: V | undefined): ReadonlyMap<K, V> {
  const next = new Map(map);
  if (value === undefined) next.delete(key);
  else next.set(key, value);
  return next;
}

/** A copy of `set` with `value` in it or not. */
export function withMember<T>(set: ReadonlySet<T>, value: T, present: boolean): ReadonlySet<T> {
  const next = new Set(set);
  if (present) next.add(value);
  else next.delete(value);
  return next;
}

// "Show me this amendment": asked by the inline redline (a click on it) and
// by the propose dialog (the amendment just made), answered by the
// Amendments panel (its tab to the front, the card in view, a flash). A typed
// request per open document, so neither side needs the other's DOM.
import { docChannel } from '../doc-channel';

const reveal = docChannel<string>();

/** Listens for requests to show an amendment (by id) in `ydoc`'s document. */
export const onRevealRequest = reveal.on;
export const requestReveal = reveal.emit;

// The server's signals for an open document (core/signals.ts), delivered to
// whoever listens for that Y.Doc. After a reconnect, listeners hear
// 'resync': signals sent while the connection was down are lost, so state
// fetched from the API should be fetched again.
import type { AccordSignal } from '../core/signals';
import { docChannel } from './doc-channel';

export type SignalEvent = AccordSignal | { kind: 'resync' };
const signals = docChannel<SignalEvent>();

export const onSignal = signals.on;
export const emitSignal = signals.emit;

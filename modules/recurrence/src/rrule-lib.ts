import rruleDefault from 'rrule';
import * as rruleNamespace from 'rrule';

// rrule ships a CommonJS bundle flagged __esModule: Node's ESM loader exposes it
// only as the default export, while CJS-interop runners expose named exports.
const rruleModule = (rruleDefault as typeof rruleNamespace | undefined) ?? rruleNamespace;

export const RRule = rruleModule.RRule;
export type { Options as RRuleOptions } from 'rrule';

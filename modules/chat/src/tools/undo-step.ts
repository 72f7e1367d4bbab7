import { z } from 'zod';
import { ToolTask } from './task-tools-port.js';

/** What reverts one tool call; stored with the call so a later "undo" needs no other state. */
export const UndoStep = z.discriminatedUnion('op', [
  z.object({ op: z.literal('delete'), taskId: z.string() }),
  z.object({ op: z.literal('restore'), before: ToolTask }),
  z.object({ op: z.literal('recreate'), before: ToolTask }),
  z.object({ op: z.literal('reopen'), taskId: z.string() }),
  z.object({ op: z.literal('complete'), taskId: z.string() }),
]);
export type UndoStep = z.infer<typeof UndoStep>;

import type { BaseMessage } from '@langchain/core/messages';
import type { ScriptTurn } from '../../schema/models.ts';
import { ConfigurationError } from '../resilience/errors.ts';

/** The turn that answers a conversation, and the reply's position in it (0 for the first assistant reply). */
export interface PickedTurn {
  turn: ScriptTurn;
  position: number;
}

/**
 * Chooses the scripted reply from the conversation alone, so every worker and every retry
 * answers the same: first the turn whose `match` matches the last user or tool message; else
 * the n-th turn without `match`, n being the number of assistant messages so far.
 */
export function pickTurn(turns: ScriptTurn[], messages: BaseMessage[]): PickedTurn {
  const position = messages.filter((message) => message.type === 'ai').length;
  const last = messages.findLast((message) => message.type === 'human' || message.type === 'tool')?.text;
  const matched = turns.find(
    (turn) => turn.match && last !== undefined && new RegExp(turn.match, 'i').test(last),
  );
  const turn = matched ?? turns.filter((candidate) => !candidate.match)[position];
  if (turn) return { turn, position };
  throw new ConfigurationError(
    `the script has no reply ${position + 1}: no turn matches ${JSON.stringify(last ?? '')} ` +
      `and its ${turns.filter((candidate) => !candidate.match).length} unmatched turns are used up`,
  );
}

/** A rough token count, the same for every provider-less use: one token per four characters. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

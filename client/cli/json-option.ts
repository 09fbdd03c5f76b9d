import { Variables } from '../../schema/json.ts';
import { parseInput, ValidationError } from '../../schema/validation.ts';

/** The JSON object given to `option` (an empty object when absent); bad JSON is an error naming the option. */
export function parseJsonObjectOption(text: string | undefined, option: string): Variables {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ValidationError(`${option} value`, [`not valid JSON (${(error as Error).message})`]);
  }
  return parseInput(Variables, value, `${option} value (a JSON object)`);
}

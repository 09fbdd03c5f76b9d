import { ApplicationFailure } from '@temporalio/common';
import type { z } from 'zod';
import { parseInput, ValidationError } from '../../schema/validation.ts';

/** Parses an activity's argument; bad input fails the activity at once instead of being retried. */
export function parseActivityInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  subject: string,
): z.infer<S> {
  try {
    return parseInput(schema, value, subject);
  } catch (error) {
    if (error instanceof ValidationError) throw ApplicationFailure.nonRetryable(error.message, error.name);
    throw error;
  }
}

import { ApplicationFailure } from '@temporalio/activity';

/** The failure types of the swarm activities' refusals: retrying would not change the answer. */
export const SwarmFailureType = {
  teamNotAssembled: 'TeamNotAssembled',
  unknownRoutine: 'UnknownRoutine',
  invalidRoutineInput: 'InvalidRoutineInput',
  resourceRefused: 'ResourceManageRefused',
  noMatchingRoutine: 'NoMatchingRoutine',
  missingRoutineInput: 'MissingRoutineInput',
} as const;
export type SwarmFailureType = (typeof SwarmFailureType)[keyof typeof SwarmFailureType];

/** What a refusal carries beside its message, as its first detail: what to do about it. */
export interface RefusalDetails {
  hint?: string;
}

export function swarmRefusal(
  type: SwarmFailureType,
  message: string,
  details?: RefusalDetails,
): ApplicationFailure {
  return ApplicationFailure.create({
    type,
    message,
    nonRetryable: true,
    ...(details === undefined ? {} : { details: [details] }),
  });
}

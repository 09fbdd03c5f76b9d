import { ApplicationFailure } from '@temporalio/activity';

/** The failure types of the swarm activities' refusals: retrying would not change the answer. */
export const SwarmFailureType = {
  teamNotAssembled: 'TeamNotAssembled',
  unknownRoutine: 'UnknownRoutine',
  invalidRoutineInput: 'InvalidRoutineInput',
  resourceRefused: 'ResourceManageRefused',
} as const;
export type SwarmFailureType = (typeof SwarmFailureType)[keyof typeof SwarmFailureType];

export function swarmRefusal(type: SwarmFailureType, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true });
}

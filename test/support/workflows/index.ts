// The workflows of the messaging tests' own bundle: the product's mailbox and the test doubles that use it.
export { messageMailboxWorkflow } from '../../../workflows/mailbox-workflow.ts';
export { fakeUserTaskRunWorkflow } from './fake-user-task-run.ts';
export { messagePublisherWorkflow, messageWaiterWorkflow } from './message-waiter.ts';
export { scoreCaseCallerWorkflow } from './score-case-caller.ts';
export { signalWaiterWorkflow } from './signal-waiter.ts';

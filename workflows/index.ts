export { branchWorkflow } from './branch-workflow.ts';
export { canaryWorkflow } from './canary-workflow.ts';
export { evalWorkflow } from './eval-workflow.ts';
export { improvementWorkflow } from './improvement-workflow.ts';
export { messageMailboxWorkflow } from './mailbox-workflow.ts';
export { multiInstanceWorkflow } from './multi-instance-workflow.ts';
export { runWorkflow } from './run-workflow.ts';
export { scoreRunWorkflow } from './score-run-workflow.ts';
export { swarmWorkflow } from './swarm-workflow.ts';

// Each workflow type's Worker Versioning behaviour (PINNED / AUTO_UPGRADE), set on the functions above.
import './versioning-behaviors.ts';

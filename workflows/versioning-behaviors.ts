import type { VersioningBehavior } from '@temporalio/common';
import { setWorkflowOptions } from '@temporalio/workflow';
import { branchWorkflow } from './branch-workflow.ts';
import { canaryWorkflow } from './canary-workflow.ts';
import { evalWorkflow } from './eval-workflow.ts';
import { improvementWorkflow } from './improvement-workflow.ts';
import { messageMailboxWorkflow } from './mailbox-workflow.ts';
import { multiInstanceWorkflow } from './multi-instance-workflow.ts';
import { runWorkflow } from './run-workflow.ts';
import { scoreRunWorkflow } from './score-run-workflow.ts';
import { swarmWorkflow } from './swarm-workflow.ts';

/**
 * How each workflow type moves between Worker Deployment versions when workers run versioned
 * (docs/worker-versioning.md gives the reasons; an unversioned worker ignores this).
 *
 * PINNED: an execution runs on the version that started it until it closes, so a new version never
 * replays a history the old code wrote. Runs, their branches and multi-instance chunks, swarms (and
 * the child runs they start, which inherit the parent's version), improvement cycles, canaries,
 * evals and scorings are pinned. patched() stays the rule for every change all the same: it is what
 * lets an operator move a long-waiting pinned execution to a newer version
 * (`temporal workflow update-options --versioning-override-behavior auto_upgrade`).
 *
 * AUTO_UPGRADE: the message mailbox is an entity that any run of any version reaches by
 * signal-with-start and that lives, continuing as new, as long as someone listens; pinned, it would
 * keep an old version from ever draining. It follows the current version, its changes patched.
 */
export const versioningBehaviors = {
  runWorkflow: 'PINNED',
  branchWorkflow: 'PINNED',
  multiInstanceWorkflow: 'PINNED',
  swarmWorkflow: 'PINNED',
  improvementWorkflow: 'PINNED',
  canaryWorkflow: 'PINNED',
  evalWorkflow: 'PINNED',
  scoreRunWorkflow: 'PINNED',
  messageMailboxWorkflow: 'AUTO_UPGRADE',
} as const satisfies Record<string, VersioningBehavior>;

setWorkflowOptions({ versioningBehavior: versioningBehaviors.runWorkflow }, runWorkflow);
setWorkflowOptions({ versioningBehavior: versioningBehaviors.branchWorkflow }, branchWorkflow);
setWorkflowOptions({ versioningBehavior: versioningBehaviors.multiInstanceWorkflow }, multiInstanceWorkflow);
setWorkflowOptions({ versioningBehavior: versioningBehaviors.swarmWorkflow }, swarmWorkflow);
setWorkflowOptions({ versioningBehavior: versioningBehaviors.improvementWorkflow }, improvementWorkflow);
setWorkflowOptions({ versioningBehavior: versioningBehaviors.canaryWorkflow }, canaryWorkflow);
setWorkflowOptions({ versioningBehavior: versioningBehaviors.evalWorkflow }, evalWorkflow);
setWorkflowOptions({ versioningBehavior: versioningBehaviors.scoreRunWorkflow }, scoreRunWorkflow);
setWorkflowOptions(
  { versioningBehavior: versioningBehaviors.messageMailboxWorkflow },
  messageMailboxWorkflow,
);

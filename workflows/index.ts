export { branchWorkflow } from './branch-workflow.ts';
export { runWorkflow } from './run-workflow.ts';

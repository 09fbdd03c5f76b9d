import type { DeploymentConfig } from '../../schema/deployment-config.ts';
import { type McpToolDescriptor, toolKey } from '../../schema/tools.ts';
import { logWarning } from '../logging/activity-log.ts';
import { toolTarget } from './create-chat-model.ts';
import { checkToolsFor, type ProviderTarget, type ToolSchemaError } from './tool-schemas/index.ts';

/** The distinct tool-schema targets of a deployment's models: what every tool must be expressible for. */
export function toolTargetsOf(deployment: Pick<DeploymentConfig, 'models'>): ProviderTarget[] {
  const targets = Object.values(deployment.models).map(toolTarget);
  return targets.filter(
    (target, index) =>
      targets.findIndex((other) => other.provider === target.provider && other.strict === target.strict) ===
      index,
  );
}

/**
 * Keeps the tools an MCP server lists to those every configured model's provider can take, as
 * soon as the server is loaded: a tool whose schema cannot be expressed (naming the tool and
 * the keyword) is reported once and never offered to a model, instead of failing the first
 * model call that offers it.
 */
export class ToolScreen {
  private readonly reported = new Set<string>();

  constructor(
    private readonly targets: readonly ProviderTarget[],
    private readonly report: (problem: ToolSchemaError, target: ProviderTarget) => void = reportOnStderr,
  ) {}

  /** The tools every target takes; the others reported (once per tool). */
  screen(tools: McpToolDescriptor[]): McpToolDescriptor[] {
    const refused = new Set<string>();
    for (const target of this.targets) {
      for (const problem of checkToolsFor(target, tools)) {
        refused.add(problem.tool);
        if (this.reported.has(problem.tool)) continue;
        this.reported.add(problem.tool);
        this.report(problem, target);
      }
    }
    return refused.size === 0 ? tools : tools.filter((tool) => !refused.has(toolKey(tool)));
  }
}

function reportOnStderr(problem: ToolSchemaError, target: ProviderTarget): void {
  logWarning(
    `tool left out for ${target.provider}${target.strict ? ' (strict)' : ''} models: ${problem.message}`,
    {
      tool: problem.tool,
    },
  );
}

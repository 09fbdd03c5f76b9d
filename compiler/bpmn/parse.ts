import { BpmnModdle, type Definitions, type ParseError, type ParseWarning } from 'bpmn-moddle';
import zeebe from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };
import { type CompileProblem, RoutineCompileError } from '../errors.ts';

// Only the zeebe extension: camunda and zeebe descriptors in one parser silently drop processes.
/** The compiler's BPMN reader (and writer, for tools that rewrite a routine's XML). */
export const moddle = new BpmnModdle({ zeebe });

const UNPARSABLE =
  /^unparsable content ([\s\S]*?) ?detected\n\tline: (\d+)\n\tcolumn: (\d+)\n\tnested error: ([\s\S]*)$/;
const DECLARED_ENCODING = /^(\s*<\?xml\b[^>]*?)(\sencoding\s*=\s*(["'])[^"']*\3)/;

export interface ParsedBpmn {
  definitions: Definitions;
  /** moddle's warnings, each one an error; the model did load, so its elements can still be checked */
  problems: CompileProblem[];
}

/** Reads BPMN XML; XML that does not load at all throws a RoutineCompileError. */
export async function parseBpmn(xml: string): Promise<ParsedBpmn> {
  try {
    const { rootElement, warnings } = await moddle.fromXML(withoutDeclaredEncoding(xml));
    return { definitions: rootElement, problems: warnings.map(warningProblem) };
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    const { warnings = [] } = error as ParseError;
    throw new RoutineCompileError([unreadableProblem(error), ...warnings.map(warningProblem)]);
  }
}

/**
 * The text is decoded already (see decodeBpmnSource), so the encoding its declaration names
 * no longer applies; moddle would warn about any label but UTF-8. The label is blanked with
 * spaces so that reported columns stay true.
 */
function withoutDeclaredEncoding(xml: string): string {
  return xml
    .replace(/^\uFEFF/, '')
    .replace(
      DECLARED_ENCODING,
      (_match, head: string, encoding: string) => head + ' '.repeat(encoding.length),
    );
}

function unreadableProblem(error: Error): CompileProblem {
  const unparsable = UNPARSABLE.exec(error.message);
  if (unparsable) {
    const [, , line, column, reason] = unparsable;
    return { message: `the XML is not well-formed: ${reason} at ${location(line, column)}` };
  }
  if (error.message.startsWith('failed to parse document as')) {
    return {
      message:
        'not a BPMN 2.0 document: the root element must be <definitions> in namespace ' +
        '"http://www.omg.org/spec/BPMN/20100524/MODEL"',
    };
  }
  return { message: `the BPMN XML cannot be read: ${error.message}` };
}

function warningProblem(warning: ParseWarning): CompileProblem {
  const { element } = warning;
  if (element) {
    const message = warning.message.startsWith('unresolved reference')
      ? `${warning.property?.replace(/^bpmn:/, '')} points to "${warning.value}", which does not exist`
      : warning.message;
    return { elementId: element.id, elementType: element.$type, message };
  }
  const unparsable = UNPARSABLE.exec(warning.message);
  if (!unparsable) return { message: warning.message };
  const [, content = '', line, column, reason] = unparsable;
  const tag = content.startsWith('<') && content.length <= 80 ? `${content} ` : '';
  return { message: `${tag}at ${location(line, column)}: ${reason}` };
}

/** moddle counts lines and columns from 0. */
function location(line = '0', column = '0'): string {
  return `line ${Number(line) + 1}, column ${Number(column) + 1}`;
}

// bpmn-moddle ships no types for its main entry. This declares the part the compiler reads:
// moddle elements expose their properties as plain fields, `$type` is "prefix:TypeName".

declare module 'bpmn-moddle' {
  export interface ModdleElement {
    readonly $type: string;
    readonly $parent?: ModdleElement;
    readonly id?: string;
    readonly name?: string;
    readonly extensionElements?: ExtensionElements;
    $instanceOf(type: string): boolean;
  }

  export interface ExtensionElements extends ModdleElement {
    readonly values?: ModdleElement[];
  }

  export interface Definitions extends ModdleElement {
    readonly rootElements?: ModdleElement[];
  }

  export interface Process extends ModdleElement {
    readonly isExecutable?: boolean;
    readonly flowElements?: ModdleElement[];
  }

  export interface Expression extends ModdleElement {
    readonly body?: string;
    readonly language?: string;
  }

  export interface SequenceFlow extends ModdleElement {
    readonly sourceRef?: ModdleElement;
    readonly targetRef?: ModdleElement;
    readonly conditionExpression?: Expression;
  }

  /** Events, activities and gateways; each field exists only on the types that define it. */
  export interface FlowNode extends ModdleElement {
    readonly eventDefinitions?: ModdleElement[];
    readonly eventDefinitionRef?: ModdleElement[];
    readonly loopCharacteristics?: ModdleElement;
    readonly isForCompensation?: boolean;
    readonly default?: SequenceFlow;
  }

  export interface ZeebeTaskDefinition extends ModdleElement {
    readonly type?: string;
    readonly retries?: string;
  }

  export interface ZeebeHeader extends ModdleElement {
    readonly key?: string;
    readonly value?: string;
  }

  export interface ZeebeTaskHeaders extends ModdleElement {
    readonly values?: ZeebeHeader[];
  }

  export interface ZeebeParameter extends ModdleElement {
    readonly source?: string;
    readonly target?: string;
  }

  export interface ZeebeIoMapping extends ModdleElement {
    readonly inputParameters?: ZeebeParameter[];
    readonly outputParameters?: ZeebeParameter[];
  }

  export interface ZeebeScript extends ModdleElement {
    readonly expression?: string;
    readonly resultVariable?: string;
  }

  export interface ParseWarning {
    readonly message: string;
    readonly element?: ModdleElement;
    readonly property?: string;
    readonly value?: string;
  }

  export interface ParseResult {
    readonly rootElement: Definitions;
    readonly warnings: ParseWarning[];
  }

  /** What `fromXML` rejects with. */
  export interface ParseError extends Error {
    readonly warnings?: ParseWarning[];
  }

  export class BpmnModdle {
    constructor(packages?: Record<string, object>);
    fromXML(xml: string): Promise<ParseResult>;
  }
}

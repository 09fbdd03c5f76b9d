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

  /** A process or sub-process: what holds flow elements. */
  export interface FlowElementsContainer extends ModdleElement {
    readonly flowElements?: ModdleElement[];
  }

  export interface Process extends FlowElementsContainer {
    readonly isExecutable?: boolean;
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

  /**
   * Events, activities and gateways; each field exists only on the types that define it.
   * Fields with a BPMN default (cancelActivity, isInterrupting...) read as that default when unset.
   */
  export interface FlowNode extends FlowElementsContainer {
    readonly eventDefinitions?: ModdleElement[];
    readonly eventDefinitionRef?: ModdleElement[];
    readonly loopCharacteristics?: ModdleElement;
    readonly isForCompensation?: boolean;
    readonly default?: SequenceFlow;
    readonly attachedToRef?: ModdleElement;
    readonly cancelActivity?: boolean;
    readonly isInterrupting?: boolean;
    readonly parallelMultiple?: boolean;
    readonly triggeredByEvent?: boolean;
    readonly messageRef?: Message;
    readonly instantiate?: boolean;
    readonly eventGatewayType?: string;
  }

  export interface Message extends ModdleElement {}

  export interface Signal extends ModdleElement {}

  export interface ErrorElement extends ModdleElement {
    readonly errorCode?: string;
  }

  export interface Escalation extends ModdleElement {
    readonly escalationCode?: string;
  }

  /** Timer, message, signal, error, escalation and link event definitions, as FlowNode is for nodes. */
  export interface EventDefinition extends ModdleElement {
    readonly timeDate?: Expression;
    readonly timeDuration?: Expression;
    readonly timeCycle?: Expression;
    readonly messageRef?: Message;
    readonly signalRef?: Signal;
    readonly errorRef?: ErrorElement;
    readonly escalationRef?: Escalation;
  }

  export interface MultiInstanceLoopCharacteristics extends ModdleElement {
    readonly isSequential?: boolean;
    readonly loopCardinality?: Expression;
    readonly completionCondition?: Expression;
    readonly loopDataInputRef?: ModdleElement;
    readonly loopDataOutputRef?: ModdleElement;
    readonly inputDataItem?: ModdleElement;
    readonly outputDataItem?: ModdleElement;
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

  export interface ZeebeProperty extends ModdleElement {
    readonly name?: string;
    readonly value?: string;
  }

  export interface ZeebeProperties extends ModdleElement {
    readonly properties?: ZeebeProperty[];
  }

  export interface ZeebeParameter extends ModdleElement {
    readonly source?: string;
    readonly target?: string;
  }

  export interface ZeebeIoMapping extends ModdleElement {
    readonly inputParameters?: ZeebeParameter[];
    readonly outputParameters?: ZeebeParameter[];
  }

  export interface ZeebeCalledDecision extends ModdleElement {
    readonly decisionId?: string;
    readonly resultVariable?: string;
  }

  export interface ZeebeScript extends ModdleElement {
    readonly expression?: string;
    readonly resultVariable?: string;
  }

  export interface ZeebeSubscription extends ModdleElement {
    readonly correlationKey?: string;
  }

  export interface ZeebeLoopCharacteristics extends ModdleElement {
    readonly inputCollection?: string;
    readonly inputElement?: string;
    readonly outputCollection?: string;
    readonly outputElement?: string;
  }

  export interface ZeebeCalledElement extends ModdleElement {
    readonly processId?: string;
    readonly propagateAllChildVariables?: boolean;
    readonly propagateAllParentVariables?: boolean;
    readonly bindingType?: string;
  }

  export interface ZeebeAssignmentDefinition extends ModdleElement {
    readonly assignee?: string;
    readonly candidateGroups?: string;
    readonly candidateUsers?: string;
  }

  export interface ZeebeTaskSchedule extends ModdleElement {
    readonly dueDate?: string;
    readonly followUpDate?: string;
  }

  export interface ZeebeFormDefinition extends ModdleElement {
    readonly formKey?: string;
    readonly formId?: string;
    readonly externalReference?: string;
  }

  export interface ZeebePriorityDefinition extends ModdleElement {
    readonly priority?: string;
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
    readonly elementsById: Readonly<Record<string, ModdleElement>>;
  }

  /** What `fromXML` rejects with. */
  export interface ParseError extends Error {
    readonly warnings?: ParseWarning[];
  }

  export class BpmnModdle {
    constructor(packages?: Record<string, object>);
    fromXML(xml: string): Promise<ParseResult>;
    toXML(element: ModdleElement, options?: { format?: boolean }): Promise<{ xml: string }>;
    create(type: string, attributes?: Record<string, unknown>): ModdleElement;
  }
}

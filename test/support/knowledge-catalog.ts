import type { AgentInput } from '../../schema/agent.ts';
import type { RoutineDefinition } from '../../schema/routine.ts';

/**
 * A small catalog and documents for knowledge-base tests, with paraphrased goals that share no
 * routine's exact wording, each with the routine it means.
 */
const echoBody: RoutineDefinition['body'] = { kind: 'sequence', steps: [{ id: 'work', type: 'echo' }] };

export const knowledgeRoutines: RoutineDefinition[] = [
  {
    id: 'collect-unpaid-invoices',
    name: 'Collect unpaid invoices',
    description: 'Collects unpaid invoices from customers and sends payment reminders',
    inputSchema: {
      type: 'object',
      required: ['customerId'],
      properties: { customerId: { type: 'string', description: 'the customer account' } },
    },
    outputSchema: { type: 'object', properties: { reminders: { type: 'array' } } },
    body: echoBody,
  },
  {
    id: 'onboard-employee',
    name: 'Onboard employee',
    description: 'Creates accounts and a welcome pack for a new hire',
    inputSchema: { type: 'object', properties: { employeeName: { type: 'string' } } },
    body: echoBody,
  },
  {
    id: 'summarize-support-tickets',
    name: 'Summarize support tickets',
    description: "Summarizes the week's support tickets by topic",
    inputSchema: { type: 'object', properties: { week: { type: 'string' } } },
    body: echoBody,
  },
  {
    id: 'quote-price',
    name: 'Quote a price',
    description: 'Prices a launch order from quantity and unit price',
    inputSchema: {
      type: 'object',
      properties: { quantity: { type: 'number' }, unitPrice: { type: 'number' } },
    },
    body: echoBody,
  },
];

export const knowledgeAgents: AgentInput[] = [
  {
    id: 'billing-clerk',
    role: 'worker',
    description: 'Handles invoices, payments and dunning',
    skills: ['billing'],
  },
  {
    id: 'people-partner',
    role: 'worker',
    description: 'Takes care of hiring and onboarding',
    skills: ['hr'],
  },
];

/** Goals worded unlike any routine, and the routine each means. */
export const paraphrasedGoals: { goal: string; routineId: string }[] = [
  { goal: "Remind clients who haven't paid their bills", routineId: 'collect-unpaid-invoices' },
  { goal: 'Set up everything a newly hired colleague needs', routineId: 'onboard-employee' },
  { goal: 'Give me a digest of this week’s support requests', routineId: 'summarize-support-tickets' },
];

export const handbook = {
  id: 'handbook',
  title: 'Employee handbook',
  text: [
    'Holidays: every employee has 28 days of paid leave a year. Ask your manager two weeks ahead.',
    'Expenses: keep receipts for every purchase over 20 euros and file them within a month.',
    'Security: lock your laptop when you leave your desk, and never share your password.',
  ].join('\n\n'),
};

export const secretPlans = {
  id: 'secret-plans',
  title: 'Globex secret plans',
  text: 'Our laptop security policy: every password is rotated weekly, and receipts are shredded.',
};

/** A run cannot go on at an element: a modelling or data problem an operator must see, not a bug. */
export class RunIncident extends Error {
  override readonly name = 'RunIncident';
  constructor(
    readonly elementId: string,
    reason: string,
  ) {
    super(`${elementId}: ${reason}`);
  }
}

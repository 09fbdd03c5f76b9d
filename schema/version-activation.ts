/** A change of a routine's active version (promote, rollback). */
export interface Activation {
  routineId: string;
  /** The version active before (null when none was). */
  previous: number | null;
  active: number;
}

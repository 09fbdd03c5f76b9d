/** A change of a routine's active version (promote, rollback). */
export interface Activation {
  routineId: string;
  /** The version active before (null when none was). */
  previous: number | null;
  active: number;
}

/** A canary release of a routine: `percent` of its new runs start `version`, the others the active version. */
export interface Canary {
  routineId: string;
  activeVersion: number;
  version: number;
  percent: number;
  startedAt: Date;
}

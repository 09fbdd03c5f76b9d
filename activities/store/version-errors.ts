/** A rollback of a routine that has had no other active version. */
export class NoPreviousVersionError extends Error {
  override readonly name = 'NoPreviousVersionError';
  constructor(
    readonly routineId: string,
    readonly activeVersion: number,
  ) {
    super(
      `routine "${routineId}" has no version active before ${activeVersion} to roll back to; promote a version instead (swarmflow routine promote ${routineId} <version>)`,
    );
  }
}

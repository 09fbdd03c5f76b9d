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

/** A canary release of a version that is already active, or retired. */
export class CanaryVersionError extends Error {
  override readonly name = 'CanaryVersionError';
  constructor(
    readonly routineId: string,
    readonly version: number,
    readonly status: 'active' | 'retired',
  ) {
    super(
      status === 'active'
        ? `version ${version} of routine "${routineId}" is already active; a canary releases a candidate or draft version`
        : `version ${version} of routine "${routineId}" is retired; promote it with swarmflow routine promote ${routineId} ${version}, or release a candidate`,
    );
  }
}

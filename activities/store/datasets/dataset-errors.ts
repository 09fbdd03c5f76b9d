/** A dataset name the tenant has none by. */
export class UnknownDatasetError extends Error {
  override readonly name = 'UnknownDatasetError';
  constructor(
    readonly datasetId: string,
    /** The tenant's dataset names that look like `datasetId`, closest first. */
    readonly suggestions: readonly string[],
  ) {
    const didYouMean =
      suggestions.length > 0 ? `; did you mean ${suggestions.map((id) => `"${id}"`).join(', ')}?` : '';
    super(`no dataset "${datasetId}"${didYouMean} (swarmflow datasets list shows them)`);
  }
}

/** A version the dataset does not have. */
export class UnknownDatasetVersionError extends Error {
  override readonly name = 'UnknownDatasetVersionError';
  constructor(
    readonly datasetId: string,
    readonly version: number,
    readonly latestVersion: number,
  ) {
    super(`dataset "${datasetId}" has no version ${version}: its versions are 1 to ${latestVersion}`);
  }
}

import {
  type CreatedDatasetVersion,
  DatasetName,
  type DatasetOptions,
  type DatasetReadOptions,
  DatasetSource,
  type DatasetSummary,
  type DatasetVersionCases,
  type DatasetVersionInfo,
  type SplitDatasetVersion,
  SplitRequest,
} from '../../schema/dataset.ts';
import { formatDatasetJsonl } from '../../schema/dataset-jsonl.ts';
import { EvalCase } from '../../schema/evaluation.ts';
import { parseInput } from '../../schema/validation.ts';
import type { ApiTransport } from './api-transport.ts';
import type { DatasetsOperations } from './datasets-operations.ts';

/**
 * The tenant's datasets over the REST API, as the direct SDK's `client.datasets`; the same errors
 * (see DatasetsOperations), bad input refused before the network. Reads need `routines:read`,
 * changes `routines:write`.
 */
export class RemoteDatasets implements DatasetsOperations {
  constructor(private readonly transport: ApiTransport) {}

  create(
    name: string,
    source: DatasetSource,
    options: Omit<DatasetOptions, 'createdBy'> = {},
  ): Promise<CreatedDatasetVersion> {
    const body = {
      name: parseInput(DatasetName, name, 'dataset name'),
      source: parseInput(DatasetSource, source, 'dataset source'),
      ...options,
    };
    return this.transport.call('createDataset', { body });
  }

  add(name: string, cases: EvalCase[]): Promise<CreatedDatasetVersion> {
    const body = { cases: parseInput(EvalCase.array().min(1), cases, 'dataset cases') };
    return this.transport.call('addDatasetCases', { params: { datasetId: name }, body });
  }

  split(name: string, request: SplitRequest): Promise<SplitDatasetVersion> {
    const body = parseInput(SplitRequest, request, 'split');
    return this.transport.call('splitDataset', { params: { datasetId: name }, body });
  }

  async list(): Promise<DatasetSummary[]> {
    return (await this.transport.call('listDatasets')).datasets;
  }

  async versions(name: string): Promise<DatasetVersionInfo[]> {
    return (await this.transport.call('listDatasetVersions', { params: { datasetId: name } })).versions;
  }

  show(name: string, options: DatasetReadOptions = {}): Promise<DatasetVersionCases> {
    return this.transport.call('getDataset', { params: { datasetId: name }, query: options });
  }

  async export(name: string, options: DatasetReadOptions = {}): Promise<string> {
    const { cases } = await this.show(name, options);
    return formatDatasetJsonl(cases.map(({ ordinal: _, split: __, ...c }) => c));
  }
}

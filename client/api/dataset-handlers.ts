import type { DatasetOperations } from '../../schema/api/dataset-operations.ts';
import { DatasetsApi } from '../datasets.ts';
import type { HandlerContext, OperationHandlers } from './operation-handlers.ts';

/** The caller's datasets, on the database under the caller's tenant's row-level security. */
const datasetsOf = ({ db, identity }: HandlerContext) =>
  new DatasetsApi(db, identity.tenantId, identity.subject);

/** The REST API's dataset operations. */
export const datasetHandlers: OperationHandlers<DatasetOperations> = {
  async listDatasets(context) {
    return { datasets: await datasetsOf(context).list() };
  },
  createDataset: (context, { body }) => {
    const { name, source, ...options } = body;
    return datasetsOf(context).create(name, source, options);
  },
  getDataset: (context, { params, query }) => datasetsOf(context).show(params.datasetId, query),
  async listDatasetVersions(context, { params }) {
    return { versions: await datasetsOf(context).versions(params.datasetId) };
  },
  addDatasetCases: (context, { params, body }) => datasetsOf(context).add(params.datasetId, body.cases),
  splitDataset: (context, { params, body }) => datasetsOf(context).split(params.datasetId, body),
};

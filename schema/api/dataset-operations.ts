import { z } from 'zod';
import {
  DatasetName,
  DatasetOriginSchema,
  DatasetSource,
  DatasetSplit,
  SplitRequest,
  StoredCase,
} from '../dataset.ts';
import { EvalCase } from '../evaluation.ts';
import { RoutineId } from '../routine.ts';
import { defineOperation } from './operation.ts';

/**
 * The REST operations on datasets (`/v1/datasets`). Reading takes `routines:read`, writing
 * `routines:write`: datasets are the routines' test material, kept by whoever keeps the routines.
 */

const datasetParams = z.strictObject({ datasetId: DatasetName });

export const CreatedDatasetVersionSchema = z.object({
  datasetId: DatasetName,
  version: z.number().int().positive(),
  caseCount: z.number().int().min(0),
});

export const DatasetVersionInfoSchema = z.object({
  datasetId: DatasetName,
  version: z.number().int().positive(),
  origin: DatasetOriginSchema,
  caseCount: z.number().int().min(0),
  createdBy: z.string().nullable(),
  createdAt: z.date(),
});

export const CreateDatasetBody = z.strictObject({
  name: DatasetName,
  source: DatasetSource,
  description: z.string().max(2000).optional(),
  routineId: RoutineId.optional(),
});

export const datasetOperations = {
  listDatasets: defineOperation({
    method: 'GET',
    path: '/v1/datasets',
    family: 'datasets',
    permission: 'routines:read',
    summary: "The tenant's datasets, with their latest version",
    response: z.object({
      datasets: z.array(
        z.object({
          datasetId: DatasetName,
          description: z.string().nullable(),
          routineId: z.string().nullable(),
          latestVersion: z.number().int().positive(),
          caseCount: z.number().int().min(0),
          updatedAt: z.date(),
        }),
      ),
    }),
    status: 200,
  }),
  createDataset: defineOperation({
    method: 'POST',
    path: '/v1/datasets',
    family: 'datasets',
    permission: 'routines:write',
    summary: 'Create a dataset, or its next version, from cases, JSON lines or recorded runs',
    body: CreateDatasetBody,
    response: CreatedDatasetVersionSchema,
    status: 201,
    audit: { action: 'datasets.create', target: 'dataset' },
  }),
  getDataset: defineOperation({
    method: 'GET',
    path: '/v1/datasets/:datasetId',
    family: 'datasets',
    permission: 'routines:read',
    summary: 'A dataset version (the latest unless `version` is given) with its cases, or one split of them',
    params: datasetParams,
    query: z.strictObject({
      version: z.coerce.number().int().positive().optional(),
      split: DatasetSplit.optional(),
    }),
    response: DatasetVersionInfoSchema.extend({ cases: z.array(StoredCase) }),
    status: 200,
  }),
  listDatasetVersions: defineOperation({
    method: 'GET',
    path: '/v1/datasets/:datasetId/versions',
    family: 'datasets',
    permission: 'routines:read',
    summary: "A dataset's versions, oldest first, with how each was made",
    params: datasetParams,
    response: z.object({ versions: z.array(DatasetVersionInfoSchema) }),
    status: 200,
  }),
  addDatasetCases: defineOperation({
    method: 'POST',
    path: '/v1/datasets/:datasetId/cases',
    family: 'datasets',
    permission: 'routines:write',
    summary: "A new version: the latest one's cases followed by these",
    params: datasetParams,
    body: z.strictObject({ cases: z.array(EvalCase).min(1) }),
    response: CreatedDatasetVersionSchema,
    status: 201,
    audit: { action: 'datasets.add', target: 'dataset' },
  }),
  splitDataset: defineOperation({
    method: 'POST',
    path: '/v1/datasets/:datasetId/split',
    family: 'datasets',
    permission: 'routines:write',
    summary: 'A new version with the cases split into train and validation by a seeded hash of each case',
    params: datasetParams,
    body: SplitRequest.strict(),
    response: CreatedDatasetVersionSchema.extend({
      train: z.number().int().min(0),
      validation: z.number().int().min(0),
    }),
    status: 201,
    audit: { action: 'datasets.split', target: 'dataset' },
  }),
} as const;

export type DatasetOperations = typeof datasetOperations;

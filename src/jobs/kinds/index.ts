import { syncJobKind } from '../../connections/sync-job.ts';
import { discoveryJobKind } from '../../discovery/run-job.ts';
import { entitlementSyncJobKind } from '../../entitlements/sync-job.ts';
import type { AppDeps } from '../../server/deps.ts';
import { enforceJobKind } from '../../server/services/policies/enforce-job.ts';
import type { JobKind } from '../job-kind.ts';

/** The job kinds every Steward server runs. Later features (crawl, discovery, apply) add theirs here. */
export const BUILTIN_JOB_KINDS: ReadonlyArray<JobKind<AppDeps, never>> = [
  syncJobKind as JobKind<AppDeps, never>,
  entitlementSyncJobKind as JobKind<AppDeps, never>,
  enforceJobKind as JobKind<AppDeps, never>,
  discoveryJobKind as JobKind<AppDeps, never>,
];

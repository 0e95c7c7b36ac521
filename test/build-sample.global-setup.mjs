// Jest globalSetup of the e2e project: the sample and CLI suites spawn the built app as a user
// would, so build it when dist/ is missing or stale (a freshness check otherwise). Concurrent
// runs in one checkout wait for each other's build (see scripts/ensure-sample-build.mjs).
import { ensureSampleBuild } from '../scripts/ensure-sample-build.mjs';

export default async function globalSetup() {
  await ensureSampleBuild();
}

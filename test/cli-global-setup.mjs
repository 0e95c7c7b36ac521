// Jest globalSetup of the e2e project: the CLI suites spawn the built CLI, so build the sample
// when dist/ is missing or stale (a no-op otherwise).
import { ensureSampleBuild } from '../scripts/ensure-sample-build.mjs';

export default function globalSetup() {
  ensureSampleBuild();
}

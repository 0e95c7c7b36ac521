export {
  CLAIMS_PROFILE_NAMES,
  type ClaimsProfileName,
  type ClaimsProfileOptions,
} from './claims-profile.js';
export type { ClaimPath } from './claim-path.js';

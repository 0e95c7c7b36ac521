export {
  MASK,
  isSensitiveKey,
  redactSecrets,
  redactUrl,
  withMaskedSerialization,
} from './redact.js';

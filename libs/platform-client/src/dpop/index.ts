export {
  DpopKey,
  type DpopAlgorithm,
  type DpopKeyOptions,
  type DpopOption,
  type DpopProofInput,
} from './dpop-key.js';

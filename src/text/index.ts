export { splitSentences, tokenizedSentences, tokenizedSentencesInSlices } from './sentences.js';
export type { SentenceOptions, TokenizedSentence } from './sentences.js';
export { insideGrapheme } from './graphemes.js';
export { tokenize } from './tokenize.js';
export type { SliceOptions } from './steps.js';
export type { TokenizeOptions } from './tokenize.js';
export type { Token } from './token.js';

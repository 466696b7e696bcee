export { splitSentences, tokenizedSentences, tokenizedSentencesInSlices } from './sentences.js';
export type { TokenizedSentence } from './sentences.js';
export type { NewlineMode, SentenceOptions, TokenizeOptions, TokenizerStyle } from './options.js';
export { insideGrapheme } from './graphemes.js';
export { tokenize } from './tokenize.js';
export type { Token } from './token.js';

/** A token of a text: its characters and where they are (the corpus model, data/corpus.ts, uses it as is). */
export interface Token {
  text: string;
  /** Character offset of the first code unit in `Document.text`. */
  start: number;
  /** Character offset one past the last code unit; `doc.text.slice(start, end) === text`. */
  end: number;
}

/**
 * Sentence splitting measured against gold sentence boundaries:
 *   npm run bench:sentences [-- --examples 5] [-- --top 8] [-- --json]
 *
 * Three tokenized corpora are rebuilt as raw text (bench/detokenize.ts), their sentences joined by a
 * space, and split by `tokenizedSentences` with the bundled model's tokenizer style (as `Extractor.extract`):
 * - CoNLL04 (SpERT copy), each split as one text: test is bench:raw-text's "whole split" mode; train and dev
 *   (the bundled model's training data, which the splitter never saw) give more cases;
 * - SciERC (DyGIE, train + dev + test): 500 abstracts of several sentences, one text each;
 * - NYT CoType test: 395 sentences; those of one article, in sentId order, make one text.
 * A boundary is where a sentence other than a text's first starts. Precision: entrel's boundaries that
 * are gold; recall: gold boundaries entrel finds, also over those after `.` `!` `?` (closing quotes or
 * brackets allowed) alone, the ones text can show (a headline joined to the next sentence by a space
 * cannot be found). Errors are grouped by the token before the boundary (literal when it ends in a
 * period: `N.Y.`, `Jr.`) and the shape of the token after, with examples; breaks made only to keep a
 * sentence under 100 tokens are grouped apart. Also: gold tokens whose exact span entrel's tokenizer
 * reproduces (a ``` `` ``` pair counts as one `"`). Ends with one JSON line.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tokenizedSentences } from '../src/text/index.js';
import { detokenize } from './detokenize.js';
import { checkedArgs, integerArg, usageText } from '../scripts/args.js';

const options = {
  examples: { type: 'string', default: '5' },
  top: { type: 'string', default: '8' },
  json: { type: 'boolean', default: false },
} as const;
const usage = usageText('npm run bench:sentences [-- --examples 5] [-- --top 8] [-- --json]', options, {
  examples: { value: 'N', text: 'examples per kind of error, at least 0' },
  top: { value: 'N', text: 'kinds of missed and of spurious boundaries listed per corpus, at least 0' },
  json: { text: 'print only the JSON result, indented, with the kinds of error' },
});
const { examples: nExamples, top, ...args } = checkedArgs(usage, options, ({ values }) => ({
  ...values,
  examples: integerArg(values.examples, '--examples', 0),
  top: integerArg(values.top, '--top', 0),
}));
const data = join(resolve(fileURLToPath(new URL('..', import.meta.url))), '..', 'shared', 'data');
const STYLE = 'conll04'; // models/conll04's model.tokenizer; boundaries do not depend on it

/** One raw text, the offsets where its gold sentences 2…n start, and its gold tokens' spans (`start:end`). */
interface Text {
  text: string;
  boundaries: number[];
  tokens: string[];
}

/** Sentences (token lists) → one text, sentences joined by a space. */
function join1(sentences: string[][]): Text {
  const parts = sentences.map((s) => detokenize(s));
  const boundaries: number[] = [];
  const tokens: string[] = [];
  let at = 0;
  parts.forEach((p, k) => {
    if (k > 0) boundaries.push(at);
    for (const u of p.units) tokens.push(`${at + u.start}:${at + u.end}`);
    at += p.text.length + 1;
  });
  return { text: parts.map((p) => p.text).join(' '), boundaries, tokens };
}

/**
 * SciERC and NYT write both quotes as `''` (SciERC sometimes opens with ``` `` ```): a `''` opens a quote
 * unless one is open or it follows punctuation (`, ''` closes a quote whose opening is in another sentence).
 */
function pairQuotes(tokens: string[]): string[] {
  let open = false;
  return tokens.map((t, i) => {
    if (t === '``') return (open = true), t;
    if (t !== "''") return t;
    const closes = open || i === tokens.length - 1 || /^[.,;:!?]$/.test(tokens[i - 1] ?? '');
    open = !closes;
    return closes ? t : '``';
  });
}

function conll04(...splits: string[]): Text[] {
  return splits.map((split) => {
    const records = JSON.parse(readFileSync(join(data, 'conll04', 'spert', `conll04_${split}.json`), 'utf8')) as { tokens: string[] }[];
    return join1(records.map((r) => r.tokens));
  });
}

function scierc(): Text[] {
  return ['train', 'dev', 'test'].flatMap((f) =>
    readFileSync(join(data, 'scierc', 'dygie', `${f}.json`), 'utf8')
      .trim()
      .split('\n')
      .map((line) => join1((JSON.parse(line) as { sentences: string[][] }).sentences.map(pairQuotes))),
  );
}

function nyt(): Text[] {
  const records = readFileSync(join(data, 'nyt_cotype', 'test.json'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { articleId: string; sentId: number; sentText: string });
  const articles = new Map<string, typeof records>();
  for (const r of records) articles.set(r.articleId, [...(articles.get(r.articleId) ?? []), r]);
  return [...articles.values()].map((rs) =>
    join1(
      rs
        .sort((a, b) => a.sentId - b.sentId)
        // The file wraps most sentences in a CSV-style `"…"`: not part of the text.
        .map((r) => pairQuotes(r.sentText.trim().replace(/^"(.*)"$/s, '$1').split(' ').filter(Boolean))),
    ),
  );
}

/** Token shape: letter case runs → X/x, digit runs → d, the rest kept. */
const shape = (s: string) => s.replace(/\p{Lu}+/gu, 'X').replace(/\p{Ll}+/gu, 'x').replace(/\p{N}+/gu, 'd').replace(/(?:Xx)+/g, 'Xx').replace(/(?:xX)+x?/g, 'xX');
const TERMINATED = /[.!?]["'”’)\]]*$/u;

interface ErrorGroup {
  count: number;
  examples: string[];
}
function measure(name: string, texts: Text[]) {
  let gold = 0;
  let goldTerminated = 0;
  let found = 0;
  let foundTerminated = 0;
  let predicted = 0;
  let goldTokens = 0;
  let sameTokens = 0;
  const missed = new Map<string, ErrorGroup>();
  const spurious = new Map<string, ErrorGroup>();
  const note = (groups: Map<string, ErrorGroup>, text: string, tokens: { text: string; start: number; end: number }[], at: number, cap = false) => {
    const k = tokens.findIndex((t) => t.start >= at);
    const [before, after] = [tokens[k - 1].text, tokens[k].text];
    const key = cap ? '(100-token cap)' : `${before.length > 1 && before.endsWith('.') ? before : shape(before)} ‖ ${shape(after).slice(0, 4)}`;
    const g = groups.get(key) ?? { count: 0, examples: [] };
    g.count++;
    if (g.examples.length < nExamples) g.examples.push(`…${text.slice(Math.max(0, at - 45), at).trimEnd()} ‖ ${text.slice(at, at + 30)}…`);
    groups.set(key, g);
  };
  for (const { text, boundaries, tokens: goldSpans } of texts) {
    const sents = tokenizedSentences(text, { style: STYLE });
    const tokens = sents.flatMap((s) => s.tokens);
    const spans = new Set(tokens.map((t) => `${t.start}:${t.end}`));
    goldTokens += goldSpans.length;
    sameTokens += goldSpans.filter((x) => spans.has(x)).length;
    const starts = new Set(sents.slice(1).map((s) => s.start));
    const uncapped = new Set(tokenizedSentences(text, { style: STYLE, maxTokens: Number.MAX_SAFE_INTEGER }).map((s) => s.start));
    const capped = new Set([...starts].filter((s) => !uncapped.has(s)));
    const goldSet = new Set(boundaries);
    predicted += starts.size;
    for (const b of boundaries) {
      gold++;
      const terminated = TERMINATED.test(text.slice(0, b).trimEnd());
      if (terminated) goldTerminated++;
      if (starts.has(b)) (found++, terminated && foundTerminated++);
      else note(missed, text, tokens, b);
    }
    for (const s of starts) if (!goldSet.has(s)) note(spurious, text, tokens, s, capped.has(s));
  }
  const pct = (a: number, b: number) => (b ? Math.round((10000 * a) / b) / 100 : 100);
  const ranked = (m: Map<string, ErrorGroup>) => [...m.entries()].sort((a, b) => b[1].count - a[1].count).slice(0, top).map(([key, g]) => ({ key, ...g }));
  return {
    name, texts: texts.length, gold, predicted, found,
    precision: pct(found, predicted), recall: pct(found, gold),
    goldTerminated, foundTerminated, recallTerminated: pct(foundTerminated, goldTerminated), goldTokens, sameTokens,
    missed: ranked(missed), spurious: ranked(spurious),
  };
}

const results = [
  measure('CoNLL04 test', conll04('test')),
  measure('CoNLL04 train + dev', conll04('train', 'dev')),
  measure('SciERC train+dev+test', scierc()),
  measure('NYT CoType test', nyt()),
];

if (!args.json) {
  console.log('| source | texts | gold boundaries | entrel | precision | recall | recall after . ! ? | gold tokens reproduced |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of results)
    console.log(`| ${r.name} | ${r.texts} | ${r.gold} | ${r.predicted} | ${r.precision.toFixed(2)} (${r.predicted - r.found} spurious) | ` +
      `${r.recall.toFixed(2)} (${r.gold - r.found} missed) | ${r.recallTerminated.toFixed(2)} (${r.foundTerminated} / ${r.goldTerminated}) | ` +
      `${r.sameTokens} / ${r.goldTokens} |`);
  for (const r of results) {
    console.log(`\n${r.name}`);
    for (const [what, groups] of [['missed', r.missed], ['spurious', r.spurious]] as const)
      for (const g of groups) {
        console.log(`  ${what.padEnd(8)} ${String(g.count).padStart(4)}  ${g.key}`);
        for (const x of g.examples) console.log(`                 ${x}`);
      }
  }
}
const summary = results.map(({ missed, spurious, ...r }) => (args.json ? { ...r, missed, spurious } : r));
console.log(args.json ? JSON.stringify(summary, null, 2) : JSON.stringify({ bench: 'sentences', results: summary }));

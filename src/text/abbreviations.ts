/**
 * Abbreviations that end with a period but rarely end a sentence. The tokenizer keeps them whole
 * (`Mr.`, `Inc.`, as the training corpora do); the sentence splitter undoes ICU breaks after them.
 * (ICU's own suppression list, locale extension `-u-ss-standard`, is not available in V8.) Besides English,
 * the common German, Spanish and French ones (`bzw.`, `Nr.`, `Mio.`, `Sra.`, `Mlle.`), and German ordinals
 * (`am 3. Oktober`, `im 19. Jahrhundert`, `z. B.`), whose period ICU takes for a sentence end.
 */

/** Precede a name (or, `v.`, `cf.`, `ca.`, a case name, a reference, a date): a break after them is always wrong. */
const TITLES = [
  'Mr', 'Mrs', 'Ms', 'Messrs', 'Mme', 'Dr', 'Prof', 'Sen', 'Rep', 'Gov', 'Gen', 'Col', 'Lt', 'Capt', 'Sgt',
  'Maj', 'Adm', 'Cmdr', 'Rev', 'Hon', 'St', 'Mt', 'Ft', 'Pres', 'vs', 'v', 'cf', 'Cf', 'ca',
  // German (`bzw.`, `vgl.`, `sog.` go on in their sentence, as `vs.`), Spanish, French.
  'Hr', 'Hrn', 'Fr', 'Dipl', 'bzw', 'vgl', 'sog', 'Sra', 'Srta', 'Sres', 'Dra', 'Dña', 'Lic', 'Ing', 'Avda',
  'Mlle', 'Mlles', 'Mmes', 'Mgr', 'Ste',
];
/**
 * Name a part of a paper or a law before its number (`Fig. 2A`, `Eq. (3)`, `Ref. [12]`, `Art. 5`, `Vol. IV`):
 * one token, and no sentence end, only before one (`REFERENCE_AFTER`); elsewhere they are words (`Modern Art.`).
 */
const REFERENCES = [
  'Fig', 'Figs', 'Eq', 'Eqs', 'Ref', 'Refs', 'Tab', 'Art', 'Arts', 'Sec', 'Secs', 'Ch', 'Chap', 'Vol', 'Vols',
  'para', 'paras', 'Ex', 'Thm',
];
/**
 * What a reference abbreviation precedes: a number, also bracketed (`Eq. (3)`, `Ref. [12]`), a bracketed
 * label (`Fig. (a)`, `Fig. (S1)`, `Fig. [A-C]`; not a bracketed sentence, `He studied Art. (He…`), a letter
 * and a number (`Fig. S1`), a Roman numeral (`Vol. IV`; one letter only before punctuation, `Art. I,`: else
 * it is the word `I`).
 */
const LABEL = '(?:\\p{L}\\p{N}*(?:[-–]\\p{L}\\p{N}*)?)';
const REFERENCE_AFTER = `(?:\\p{N}|[([](?:\\p{N}|${LABEL}[)\\]])|\\p{Lu}\\p{N}|[IVXLC]{2,}(?![\\p{L}\\p{N}])|[IVXLC](?=[,;:)]))`;
/**
 * Abbreviations of citations of cases and laws (`Brown v. Bd. of Educ.`, `(9th Cir. 1999)`, `F. Supp. 2d`,
 * `Pub. L.`, `134 Cong. Rec. 5678`): one token, and no sentence end, only before what follows them in a
 * citation (`CITATION_AFTER`); elsewhere they are words that can end a sentence (`the Red Lion Pub.`,
 * `Fairfield, Ct.`, `the 9th Cir. Lawyers said`).
 */
const CITATIONS = ['Cir', 'Supp', 'Bd', 'Educ', 'Dist', 'Ct', 'Cong', 'Sess', 'Stat', 'Pub', 'Rec'];
/** Precede a number (`Dec. 13`, `No. 1`). */
const BEFORE_NUMBER = [
  'Jan', 'Feb', 'Mar', 'Apr', 'Jun', 'Jul', 'Aug', 'Sep', 'Sept', 'Oct', 'Nov', 'Dec', 'No', 'Nos', 'pp',
  // German months and `Nr. 5`, `Abs. 2`; Spanish `núm. 5`.
  'Mär', 'Mrz', 'Okt', 'Dez', 'Nr', 'Abs', 'núm', 'Núm',
];
/**
 * What a citation abbreviation precedes: a number, also bracketed (`Cir. 1999`, `Supp. 2d`, `Sess. (1988)`),
 * a lowercase word (`Bd. of`), punctuation inside a citation (`Educ.,`, `Cir.)`, `Stat. §`), another part
 * of a reporter or a court's name (`Dist. Ct.`, `Pub. L.`, `Ct. App.`, `Dist. LEXIS`, `Ct. Int'l Trade`,
 * `Tax Ct. Memo.`), a date's month (`9th Cir. Mar. 3, 2005`), a page with its series letter (`Rec. S5678`).
 */
const CITATION_AFTER = `(?:[([]?\\p{N}|\\p{Ll}|[,;:)\\]§]|(?:${[...CITATIONS, ...BEFORE_NUMBER, 'L', 'App', 'Cl', 'Ann', 'Memo'].join('|')})\\.|(?:LEXIS|Int['’]l)(?![\\p{L}\\p{N}])|\\p{Lu}\\p{N})`;
/**
 * Often inside a sentence, sometimes at its end (`Apple Inc.`, `Acme Inc. President John Doe`,
 * `et al. (1998)`). Company suffixes also lowercase (`U S West inc.`), not the others: `no.`, `st.` are words.
 */
const OTHER = [
  'Inc', 'Corp', 'Co', 'Ltd', 'inc', 'corp', 'co', 'ltd', 'Bros', 'Dept', 'Univ', 'Assn', 'Ave', 'Blvd', 'etc',
  'approx', 'al', 'seq', 'resp', 'viz',
  // German: amounts (`5 Mio. Euro`), `usw.` (as `etc.`), `ggf.`, `inkl.`, `Jh.` (`19. Jh.`); French `env.`.
  'Mio', 'Mrd', 'Tsd', 'usw', 'ggf', 'evtl', 'inkl', 'zzgl', 'bzgl', 'Jh', 'Jhs', 'Hrsg', 'Str', 'env',
  // Degrees.
  'Ph.D', 'Ed.D', 'Th.D', 'D.Phil', 'LL.B', 'LL.M', 'LL.D',
];
/**
 * Follow a name, and a capitalized word after a name rarely continues its sentence (`…King Jr. Born in…`),
 * except a few (`Martin Luther King Jr. Day`, `Jr. High School`).
 */
const NAME_SUFFIXES = ['Jr', 'Sr'];
const AFTER_SUFFIX = new Set(['Day', 'High']);
/**
 * US states (AP style): after a city a comma follows them inside a sentence (`Nashville, Tenn., police`),
 * so where ICU breaks after one (before a capitalized word, a quote, a bracket) its sentence ends, unless a
 * title or a number follows (`Calif. Gov. Brown`, `Menlo Park, Calif. 94025`).
 */
const STATES = [
  'Ala', 'Ariz', 'Ark', 'Calif', 'Colo', 'Conn', 'Del', 'Fla', 'Ga', 'Ill', 'Ind', 'Kan', 'Ky', 'La', 'Md',
  'Mass', 'Mich', 'Minn', 'Miss', 'Mo', 'Mont', 'Neb', 'Nev', 'Okla', 'Ore', 'Pa', 'Tenn', 'Tex', 'Va', 'Vt',
  'Wash', 'Wis', 'Wyo',
];
/**
 * Dotted states (tokenized as acronyms): the same after a city's comma (`Brooklyn, N.Y. Police said`);
 * elsewhere they can be a name's first word (`the D.C. Circuit`).
 */
const DOTTED_STATES = ['D.C.', 'N.C.', 'N.D.', 'N.H.', 'N.J.', 'N.M.', 'N.Y.', 'R.I.', 'S.C.', 'S.D.'];

/** Regex source matching one of `words`, its period included (longest alternatives first). */
const alternatives = (words: string[]) => `(?:${words.sort((a, b) => b.length - a.length).map((w) => w.replace(/\./g, '\\.')).join('|')})\\.`;

/** Regex source matching one known abbreviation, period included. */
export const ABBREVIATION_SOURCE = alternatives([...TITLES, ...BEFORE_NUMBER, ...OTHER, ...NAME_SUFFIXES, ...STATES]);
/**
 * Regex source matching a reference abbreviation before what it refers to (`Fig.` of `Fig. 2`, not of
 * `the Fig.`), or a citation abbreviation inside a citation (`Cir.` of `9th Cir. 1999`, not of `9th Cir. Lawyers`).
 */
export const REFERENCE_SOURCE = `(?:${alternatives([...REFERENCES])}(?=\\s*${REFERENCE_AFTER})|${alternatives([...CITATIONS])}(?=\\s*${CITATION_AFTER}))`;

const dotted = (xs: string[]) => new Set(xs.map((x) => `${x}.`));
const titles = dotted(TITLES);
const references = dotted([...REFERENCES, ...CITATIONS]);
const beforeNumber = dotted(BEFORE_NUMBER);
const other = dotted(OTHER);
const states = dotted(STATES);
const nameSuffixes = dotted(NAME_SUFFIXES);
const dottedStates = new Set(DOTTED_STATES);
/** `U.S.`, `a.m.`, initials like `J.` */
const ACRONYM = /^(?:\p{L}\.)+$/u;
/** Words that usually open a sentence: after `U.S.` or `Inc.` they mean the sentence did end there. */
const STARTERS = new Set(
  ('The A An He She It They We I You His Her Its Their Our My This That These Those There Here But And Or So ' +
    'Yet If When While After Before Then However In On At As For To From By With Meanwhile Also ' +
    // German, Spanish, French (not those that begin names: `Los Angeles`, `La Jolla`, `Le Monde`).
    'Der Die Das Im Am Er Es Sie Ich Wir Auch Aber Dann Doch Pero Ella Il Ils Elle Elles Mais').split(' '),
);
/**
 * A German ordinal is a number and a period (`am 3. Oktober`, `im 19. Jahrhundert`, `der 2. Weltkrieg`):
 * no sentence end before a German month, nor after the words that put an ordinal before its noun (unless a word
 * that opens sentences follows: `Er wurde der 3. Er kam…`). English ends sentences the same way
 * (`He finished 10. May was…`, `I am 30. Peter is 28.`, review 32 #6), so only what English does not write
 * counts: the German months and their German abbreviations, and not `am` (English `I am 30.`).
 */
const GERMAN_MONTHS = new Set('Januar Jänner Februar März Mai Juni Juli Oktober Dezember Mär. Mrz. Okt. Dez.'.split(' '));
/**
 * Months English writes too (`30. April is…`, `10. Aug. 5 was…`): a German date only after a German word of
 * dates (`bis 30. April`, `am 3. Aug.`; `am` not after `I`: `I am 30. April is 28.`) or one before an
 * ordinal (`den 3. August`).
 */
const SHARED_MONTHS = new Set('April August September November Jan. Feb. Apr. Jun. Jul. Aug. Sep. Sept. Nov.'.split(' '));
const BEFORE_DATE = new Set('am vom zum bis seit ab Am Vom Zum Bis Seit Ab'.split(' '));
const BEFORE_ORDINAL = new Set('im zum zur vom beim der die das dem den des Im Zum Zur Vom Beim Der Die Das Dem Den Des'.split(' '));
const ORDINAL = /^\p{Nd}{1,2}$/u;
/** The first letters of German two-letter abbreviations, `z. B.`, `z. T.`, `u. U.`, `o. Ä.`, `s. S.`, `d. J.`: ICU breaks before their capital. */
const FIRST_LETTERS = new Set(['z', 'd', 'u', 'o', 's']);
const LETTER_DOT = /^\p{L}\.$/u;
/** Before Spanish `Sr.` (a title, `El Sr. García`), unlike English `Sr.` (`John Smith Sr.`), an article or nothing. */
const BEFORE_SENOR = new Set(['El', 'Al', 'Del']);

/**
 * Whether an ICU sentence break between tokens `last` and `next` should be undone (`before`, `beforeThat`,
 * `beforeThose`: the tokens before `last`). Also undone before a lowercase word: ICU always breaks after `?`/`!`
 * (`"Really?" she asked.`); and before AP's dash `_`, which leads on from a dateline or a quote
 * (`COLUMBIA, S.C. _ Jesse Jackson…`).
 */
export function continuesAfter(last: string, next: string, before?: string, beforeThat?: string, beforeThose?: string): boolean {
  if (/^\p{Ll}/u.test(next) || next === '_') return true;
  if (last === '.' && before !== undefined) {
    if (ORDINAL.test(before)) {
      if (GERMAN_MONTHS.has(next)) return true;
      if (beforeThat === undefined) return false;
      if (BEFORE_ORDINAL.has(beforeThat)) return !STARTERS.has(next);
      return SHARED_MONTHS.has(next) && BEFORE_DATE.has(beforeThat) && beforeThose !== 'I';
    }
    if (FIRST_LETTERS.has(before)) return LETTER_DOT.test(next);
  }
  if (last === 'Sr.' && (before === undefined || /^\p{Ll}/u.test(before) || BEFORE_SENOR.has(before))) return true;
  // A reference or citation abbreviation is a token of its own only before what it refers to or what goes
  // on its citation (REFERENCE_SOURCE).
  if (titles.has(last) || references.has(last)) return true;
  if (beforeNumber.has(last)) return /^\p{N}/u.test(next);
  if (states.has(last) || (dottedStates.has(last) && before === ',')) return titles.has(next) || /^\p{N}/u.test(next);
  if (nameSuffixes.has(last)) return AFTER_SUFFIX.has(next) || /^\p{N}/u.test(next);
  if (other.has(last) || ACRONYM.test(last)) return !STARTERS.has(next);
  return false;
}

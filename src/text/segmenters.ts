/**
 * ICU sentence segmenters by locale, made once (constructing one costs about as much as splitting a short
 * text) and kept for the few most recently used locales: a server whose callers send a new locale each
 * time must not keep a segmenter for every one.
 */
import { described, UserError } from '../errors.js';

/** Locales kept by the sentence splitter: a program uses one or two. */
export const SEGMENTERS_KEPT = 8;

/**
 * A function giving the sentence segmenter for a locale, keeping those of the `kept` most recently used.
 * The locale must be a BCP 47 tag that ICU has locale data for, or `und` (BCP 47's "undetermined
 * language": ICU's root rules, which nearly every language uses): Intl throws a RangeError on a malformed
 * one (`en_US`), and silently falls back to the machine's default locale on one it has no data for (`xx`,
 * `la`), which would hide a typo and make the sentences depend on the machine. Checked only when a
 * segmenter is made, so a kept locale costs one lookup.
 */
export function segmenterCache(kept: number): (locale: unknown) => Intl.Segmenter {
  const segmenters = new Map<string, Intl.Segmenter>();
  let newest: unknown;
  return (locale) => {
    const found = typeof locale === 'string' ? segmenters.get(locale) : undefined;
    if (found) {
      // Most recently used last, so that the first is the one to evict; moved only when it is not last
      // already (a Map delete and set cost as much as checking the options: not on every call).
      if (locale !== newest) {
        segmenters.delete(locale as string);
        segmenters.set(locale as string, found);
        newest = locale;
      }
      return found;
    }
    const root = typeof locale === 'string' && undetermined(locale);
    if (!root && !supported(locale))
      throw new UserError(`must be a BCP 47 language tag that ICU has locale data for, such as "en" or "de-CH", or "und" for no language in particular, got ${described(locale)}`, { field: 'locale' });
    if (segmenters.size >= kept) segmenters.delete(segmenters.keys().next().value!);
    const made = new Intl.Segmenter(root ? ROOT_RULES : locale, { granularity: 'sentence' });
    segmenters.set(locale, made);
    newest = locale;
    return made;
  };
}

/**
 * A locale whose sentence rules are ICU's root rules: `und` itself falls back to the machine's default
 * locale (with LANG=el_GR.UTF-8, Greek rules, where ";" ends a question); `en` has no sentence rules of
 * its own (only the abbreviations of `-u-ss-standard`, which Intl does not apply).
 */
const ROOT_RULES = 'en';

/** Whether `locale` is a well-formed tag of the undetermined language: `und`, `und-Latn`, `UND`. */
function undetermined(locale: string): boolean {
  try {
    return /^und(-|$)/.test(Intl.getCanonicalLocales(locale)[0]);
  } catch {
    return false; // RangeError: not a well-formed tag
  }
}

function supported(locale: unknown): locale is string {
  if (typeof locale !== 'string') return false;
  try {
    return Intl.Segmenter.supportedLocalesOf(locale).length === 1;
  } catch {
    return false; // RangeError: not a well-formed tag
  }
}

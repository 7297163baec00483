/**
 * Text hygiene (issue 8, item 10). Names, codes and filters are typed by people and pasted from documents:
 * a NUL breaks PostgreSQL ("invalid byte sequence for encoding UTF8: 0x00"), a bidi override makes
 * "合同A‮2B" read differently from what is stored, a zero-width space makes two equal-looking names differ.
 */

/**
 * Characters refused in any text: C0 controls except tab, line feed and carriage return; DEL and C1
 * controls; lone surrogates; bidi embeddings, overrides and isolates; zero-width characters and BOM.
 */
const FORBIDDEN =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The first forbidden character of a text, described for a message ("U+202E"), or null when clean. */
export function forbiddenCharacterIn(text: string): string | null {
  const m = FORBIDDEN.exec(text);
  if (!m) return null;
  return `U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} at position ${m.index}`;
}

/** Unicode NFC: the same name typed on two keyboards is stored the same way. */
export function normalizeText(text: string): string {
  return text.normalize('NFC');
}

import { z } from 'zod';
import { DomainError, DomainErrors, ErrorCode } from './errors';
import { isValidDate } from './dates';
import { forbiddenCharacterIn, normalizeText } from './text';

/**
 * Input validation with zod: one schema per mutation input, every failure reported with a field path and
 * a code. A refinement may carry its own code in `params.code`.
 */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown, root: string[] = ['input']): T {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  throw new DomainErrors(
    r.error.issues.map((issue) => {
      const field = [...root, ...issue.path.map(String)];
      return new DomainError(codeOf(issue), `${field.join('.')}: ${issue.message}`, field);
    }),
  );
}

function codeOf(issue: z.core.$ZodIssue): ErrorCode {
  // zod's params are untyped: test/errorCodes.test.ts checks every `params: { code }` in src against the enum.
  if (issue.code === 'custom' && issue.params && typeof issue.params.code === 'string') return issue.params.code as ErrorCode;
  if (issue.code === 'too_big' && issue.origin === 'string') return 'TOO_LONG';
  if (issue.code === 'too_small' && (issue.origin === 'string' || issue.origin === 'array')) return 'REQUIRED';
  if (issue.code === 'too_small' || issue.code === 'too_big') return 'OUT_OF_RANGE';
  return 'INVALID_INPUT';
}

/** A text without control, bidi or zero-width characters (issue 8), in Unicode NFC. */
const cleanString = () =>
  z
    .string()
    .superRefine((v, ctx) => {
      const bad = forbiddenCharacterIn(v);
      if (bad) ctx.addIssue({ code: 'custom', message: `contains a forbidden character (${bad})`, params: { code: 'INVALID_TEXT' } });
    })
    .transform(normalizeText);

/** A required text of at most `max` characters, trimmed. */
export const text = (max: number) => cleanString().pipe(z.string().trim().min(1, 'must not be empty').max(max, `at most ${max} characters`));
/** An optional text: empty becomes null. */
export const optionalText = (max: number) =>
  cleanString()
    .pipe(z.string().trim().max(max, `at most ${max} characters`))
    .nullish()
    .transform((v) => (v ? v : null));

/** Dates arrive already checked by the Date scalar; this re-check guards service calls from code and seeds. */
export const dateString = z.string().refine(isValidDate, { message: 'must be a real date YYYY-MM-DD', params: { code: 'INVALID_DATE' } });

/**
 * Streams the rows of a register file, xlsx or CSV, without holding the file or its rows in memory: a
 * county's 100,000-row 台账 is read row by row (ExcelJS's streaming WorkbookReader; a small CSV tokenizer).
 * The file is recognised by its first bytes, never by its name, so a renamed picture or a legacy .xls is
 * refused before any parsing.
 */
import crypto from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import ExcelJS from 'exceljs';
import { CellError, textOf } from './registerio.cells';
import { Column, columnOfHeader } from './registerio.columns';

export type FileKind = 'xlsx' | 'csv';

/** A file to import, re-openable: the import reads it once to check and once to write. */
export interface ImportSource {
  name: string;
  size: number;
  open(): Readable;
}

export class FileError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly row: number | null = null,
    readonly column: string | null = null,
  ) {
    super(message);
  }
}

/** First bytes → kind. xlsx is a zip (PK\3\4); an OLE2 .xls or anything binary is not accepted. */
export function sniffKind(head: Buffer): FileKind {
  if (head.length >= 4 && head.readUInt32BE(0) === 0x504b0304) return 'xlsx';
  if (head.length >= 4 && head.readUInt32BE(0) === 0xd0cf11e0) {
    throw new FileError('NOT_A_SPREADSHEET', 'This is an old Excel 97–2003 .xls file: save it as .xlsx (Excel 工作簿) and import that');
  }
  // Text: no NUL bytes in the first block (UTF-8 or GBK CSV never has them).
  if (head.length > 0 && !head.includes(0)) return 'csv';
  throw new FileError('NOT_A_SPREADSHEET', 'The file is neither an xlsx workbook nor a CSV text file');
}

export async function headOf(source: ImportSource, n = 4096): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let got = 0;
  for await (const chunk of source.open()) {
    chunks.push(chunk as Buffer);
    got += (chunk as Buffer).length;
    if (got >= n) break;
  }
  return Buffer.concat(chunks).subarray(0, n);
}

export async function sha256Of(source: ImportSource): Promise<string> {
  const h = crypto.createHash('sha256');
  for await (const chunk of source.open()) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** A raw row: 1-based row number in the sheet and cell values by 0-based column position. */
export interface RawRow {
  rowNumber: number;
  values: unknown[];
}

/**
 * ExcelJS 4.4's streaming reader decodes each chunk of XML to text on its own, so a Chinese character whose
 * three UTF-8 bytes straddle two chunks turns into "�" (茶坪村股份��济合作社) — in long sheets, a few rows in
 * every thousand. Its parser passes text through untouched, so the chunks are decoded here first, with a
 * StringDecoder that carries a split character over to the next chunk: for each worksheet (its `iterator`)
 * and for the shared strings (the reader's own _parseSharedStrings, given a decoded stream).
 */
function decodeWorksheetWhole(ws: unknown): void {
  const reader = ws as { iterator: AsyncIterable<Buffer | string> };
  const chunks = reader.iterator;
  reader.iterator = (async function* () {
    const decoder = new StringDecoder('utf8');
    for await (const c of chunks) yield typeof c === 'string' ? c : decoder.write(c);
    const rest = decoder.end();
    if (rest) yield rest;
  })();
}

function decodeSharedStringsWhole(reader: unknown): void {
  const r = reader as { _parseSharedStrings(entry: Readable): AsyncGenerator<unknown> };
  const original = r._parseSharedStrings;
  r._parseSharedStrings = function (entry: Readable) {
    const decoder = new StringDecoder('utf8');
    const text = new Transform({
      readableObjectMode: true,
      transform(chunk: Buffer, _enc, done) {
        const s = decoder.write(chunk);
        done(null, s || undefined);
      },
      flush(done) {
        const s = decoder.end();
        done(null, s || undefined);
      },
    });
    entry.on('error', (e) => text.destroy(e));
    return original.call(this, entry.pipe(text));
  };
}

async function* xlsxSheets(stream: Readable): AsyncGenerator<{ name: string; rows: AsyncGenerator<RawRow> }> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(stream, {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    // Styles tell a date cell from a number cell.
    styles: 'cache',
    worksheets: 'emit',
  });
  // ExcelJS 4.4 reads a sheet's name from workbook.xml; a file whose zip holds the sheets before workbook.xml
  // (Excel's own order varies) would make it read `sheets` of nothing. Start from an empty model instead:
  // such a sheet is then found by its header row alone, with no name.
  (reader as unknown as { model?: { sheets: unknown[] } }).model ??= { sheets: [] };
  decodeSharedStringsWhole(reader);
  const worksheets = reader[Symbol.asyncIterator]();
  let done = false;
  try {
    for (;;) {
      const next = await worksheets.next();
      if (next.done) break;
      const ws = next.value;
      decodeWorksheetWhole(ws);
      const name = (ws as unknown as { name?: string }).name ?? '';
      yield {
        name,
        rows: (async function* () {
          for await (const row of ws) {
            // ExcelJS row.values is 1-based (index 0 empty).
            yield { rowNumber: row.number, values: (row.values as unknown[]).slice(1) };
          }
        })(),
      };
    }
    done = true;
  } finally {
    if (!done) await releaseTempFiles(worksheets);
  }
}

/**
 * ExcelJS 4.4's reader copies a worksheet that comes before sharedStrings.xml or the workbook's rels in the
 * zip (ExcelJS's own writer puts them there, and so may Excel) to a temporary file, parses it after the
 * zip ends, and deletes the file only when asked for the next worksheet. A reader left early — the
 * register found, a missing column — left its files in the temp directory for good: the register sheet's
 * XML, ~94 MB for 100,000 rows, twice per import (check and write). Moving the reader on to its end,
 * without parsing the sheets it yields (their bytes are read through), deletes them.
 */
async function releaseTempFiles(worksheets: AsyncIterator<unknown>): Promise<void> {
  try {
    for (;;) {
      const next = await worksheets.next();
      if (next.done) return;
      // Each further sheet's bytes are read to their end (not parsed) before the reader moves on and deletes
      // its file: a stream destroyed while its file was still being opened failed with ENOENT once the file
      // was unlinked, as an unhandled error.
      const iterator = (next.value as { iterator?: AsyncIterable<unknown> }).iterator;
      if (iterator && Symbol.asyncIterator in Object(iterator)) for await (const _ of iterator) void _;
    }
  } catch {
    // The file was broken or the stream destroyed: nothing more to release.
  }
}

/** RFC 4180 CSV, UTF-8 (with or without BOM) or GBK — what Excel on a Chinese Windows saves as "CSV". */
async function* csvRows(stream: Readable): AsyncGenerator<RawRow> {
  let decoder: TextDecoder | null = null;
  let field = '';
  let row: string[] = [];
  let quoted = false;
  let afterQuote = false;
  let rowNumber = 0;
  let pendingCR = false;
  for await (const chunk of stream) {
    const buf = chunk as Buffer;
    if (!decoder) {
      // A file that is not valid UTF-8 is read as GBK.
      let utf8 = true;
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(0, Math.min(buf.length, 65536)), { stream: true });
      } catch {
        utf8 = false;
      }
      decoder = new TextDecoder(utf8 ? 'utf-8' : 'gbk');
    }
    const text = decoder.decode(buf, { stream: true });
    const out: RawRow[] = [];
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (pendingCR) {
        pendingCR = false;
        if (ch === '\n') continue;
      }
      if (quoted) {
        if (ch === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i++;
          } else {
            quoted = false;
            afterQuote = true;
          }
        } else field += ch;
        continue;
      }
      if (ch === '"' && field === '' && !afterQuote) {
        quoted = true;
      } else if (ch === ',') {
        row.push(field);
        field = '';
        afterQuote = false;
      } else if (ch === '\n' || ch === '\r') {
        row.push(field);
        out.push({ rowNumber: ++rowNumber, values: row });
        row = [];
        field = '';
        afterQuote = false;
        pendingCR = ch === '\r';
      } else if (ch === '\uFEFF' && rowNumber === 0 && row.length === 0 && field === '') {
        // byte-order mark
      } else field += ch;
    }
    for (const r of out) yield r;
  }
  if (field !== '' || row.length) {
    row.push(field);
    yield { rowNumber: ++rowNumber, values: row };
  }
}

/** How the sheet's columns map to the register's: position → column, with 万元 columns marked. */
export interface Layout {
  sheetName: string;
  headerRow: number;
  columns: { index: number; column: Column; wan: boolean }[];
  ignored: string[];
  /** The header row's text by position, as the sheet wrote it. */
  headers: string[];
}

const HEADER_SCAN_ROWS = 10;

/** A header row names 资产名称 and at least four other register columns; title rows above it are skipped. */
function layoutOf(sheetName: string, row: RawRow): Layout | null {
  const columns: Layout['columns'] = [];
  const ignored: string[] = [];
  const headers: string[] = [];
  row.values.forEach((v, index) => {
    let header: string | null;
    try {
      header = textOf(v);
    } catch (e) {
      if (e instanceof CellError) return;
      throw e;
    }
    if (!header) return;
    headers[index] = header;
    const hit = columnOfHeader(header);
    if (hit && !columns.some((c) => c.column.key === hit.column.key)) columns.push({ index, ...hit });
    else ignored.push(header);
  });
  if (!columns.some((c) => c.column.key === 'name') || columns.length < 5) return null;
  return { sheetName, headerRow: row.rowNumber, columns, ignored, headers: Array.from(headers, (h) => h ?? '') };
}

/**
 * The register's rows: finds the sheet whose header names the register's columns (the first such sheet; a
 * cover sheet or an instructions sheet before it is skipped), then yields each row after the header.
 * The first item carries the layout alone (row null). Rows that are entirely empty are skipped; row numbers
 * stay those of the sheet.
 */
export async function* registerRows(source: ImportSource, kind: FileKind): AsyncGenerator<{ layout: Layout; row: RawRow | null }> {
  const stream = source.open();
  try {
    const sheets =
      kind === 'xlsx'
        ? xlsxSheets(stream)
        : (async function* () {
            yield { name: 'CSV', rows: csvRows(stream) };
          })();
    const seen: string[] = [];
    for await (const sheet of sheets) {
      seen.push(sheet.name);
      let layout: Layout | null = null;
      for await (const row of sheet.rows) {
        if (!layout) {
          if (row.rowNumber > HEADER_SCAN_ROWS) break;
          layout = layoutOf(sheet.name, row);
          // The header alone first: the caller checks the columns before any row.
          if (layout) yield { layout, row: null };
          continue;
        }
        if (row.values.every((v) => v === null || v === undefined || v === '')) continue;
        yield { layout, row };
      }
      if (layout) return;
      // Drain the rest of a sheet that is not the register, so the reader moves to the next one.
      for await (const _ of sheet.rows) void _;
    }
    throw new FileError(
      'WRONG_SHEET',
      `No sheet has the register's header row (资产名称, 资产类别, 资产子类, 所属项目, …) in its first ${HEADER_SCAN_ROWS} rows; sheets: ${seen.join(', ') || 'none'}`,
    );
  } catch (e) {
    if (e instanceof FileError) throw e;
    if (kind === 'xlsx') throw new FileError('NOT_A_SPREADSHEET', `The xlsx file cannot be read: ${(e as Error).message}`);
    throw e;
  } finally {
    stream.destroy();
  }
}

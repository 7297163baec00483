import fs from 'node:fs';
import path from 'node:path';
import { EnumTypeDefinitionNode, Kind, parse } from 'graphql';

/**
 * Chinese labels of the enums a register sheet uses (资产类别, 资产子类, 资金来源, 确权层级, …). They are read
 * from the schema's own descriptions ("经营性资产 Operating asset: …" → 经营性资产), so the sheet, the template's
 * drop-down lists and GraphiQL always say the same words; nothing is listed twice.
 */
const SCHEMA_DIR = path.join(__dirname, '..', '..', '..', 'schema');

let cache: Map<string, Map<string, string>> | null = null;

function enumLabels(): Map<string, Map<string, string>> {
  if (cache) return cache;
  cache = new Map();
  for (const f of fs.readdirSync(SCHEMA_DIR).filter((x) => x.endsWith('.graphql'))) {
    const doc = parse(fs.readFileSync(path.join(SCHEMA_DIR, f), 'utf8'));
    for (const def of doc.definitions) {
      if (def.kind !== Kind.ENUM_TYPE_DEFINITION) continue;
      const labels = new Map<string, string>();
      for (const v of (def as EnumTypeDefinitionNode).values ?? []) {
        labels.set(v.name.value, (v.description?.value ?? v.name.value).trim().split(/\s+/)[0]);
      }
      cache.set(def.name.value, labels);
    }
  }
  return cache;
}

/** The label of each value of an enum, in schema order: value → 中文. */
export function labelsOf(enumName: string): Map<string, string> {
  const m = enumLabels().get(enumName);
  if (!m) throw new Error(`No enum ${enumName} in the schema`);
  return m;
}

export function labelOf(enumName: string, value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return labelsOf(enumName).get(value) ?? value;
}

/** Folds the ways a clerk writes a label: spaces, full-width brackets, a trailing 资产/资金. */
function fold(s: string): string {
  return s
    .replace(/\s+/g, '')
    .replace(/（/g, '(')
    .replace(/）/g, ')')
    .replace(/(资产|资金)$/, '')
    .toUpperCase();
}

/**
 * The enum value a cell names: the Chinese label, the English value, or the label without a trailing
 * 资产/资金 ("经营性" for 经营性资产). `within` restricts the values (a sub-type of the row's class). Null: unknown.
 */
export function valueOfLabel(enumName: string, cell: string, within?: readonly string[]): string | null {
  const wanted = fold(cell);
  for (const [value, label] of labelsOf(enumName)) {
    if (within && !within.includes(value)) continue;
    if (fold(value) === wanted || fold(label) === wanted) return value;
  }
  return null;
}

/**
 * Names in a register sheet, resolved to what the services take: 所在村 to a village code, 权属主体 / 管护主体 /
 * 经营主体 to a party reference, and a blank 确权层级 to the level its first owner implies. Lookups only: the
 * services decide whether the party may own, keep or operate the asset.
 */
import type { Db } from '../../db/connection';
import type { ServiceContext } from '../../shared/context';
import { DomainError } from '../../shared/errors';
import type { PartyRef } from '../parties/parties.service';
import * as partiesRepo from '../parties/parties.repository';
import * as householdsRepo from '../households/households.repository';
import { isRegionCode, prefixOf, townshipCodeOf } from '../regions/regions.codes';
import * as regionsRepo from '../regions/regions.repository';
import type { Region } from '../regions/regions.repository';
import type { RightsLevel } from '../rights/rights.types';

/** The rights level a sheet leaves blank follows from the first owner: a village's collective → VILLAGE, … */
export async function impliedLevel(svc: ServiceContext, ref: PartyRef): Promise<RightsLevel> {
  if (ref.villageCode) return 'VILLAGE';
  if (ref.householdId) return 'HOUSEHOLD';
  const party = await partiesRepo.findById(svc.db, ref.partyId!);
  const byKind: Record<string, RightsLevel> = { COUNTY_BODY: 'COUNTY', TOWNSHIP: 'TOWNSHIP', VILLAGE_COLLECTIVE: 'VILLAGE', HOUSEHOLD: 'HOUSEHOLD' };
  return byKind[party?.kind ?? ''] ?? 'VILLAGE';
}

const COLLECTIVE_SUFFIX = /(股份经济合作社|经济合作社|股份经济合作联合社|集体经济组织|村集体|村民委员会|村委会|居民委员会)$/;

/**
 * A party named in the sheet: a village (by code, name or its collective's name), a party registered in
 * the county under that name, or a household of the asset's village written as 户主户 (张三户).
 */
export async function partyRefOf(svc: ServiceContext, villages: Villages, name: string, villageCode: string, field: string[]): Promise<PartyRef> {
  if (isRegionCode(name)) return { villageCode: name };
  const found = await partiesRepo.findByNameUnder(svc.db, villageCode.slice(0, 6), name);
  if (found.length === 1) return { partyId: found[0].id };
  if (found.length > 1) throw new DomainError('AMBIGUOUS_NAME', `${found.length} parties in the county are called ${name}`, field);
  const village = villages.resolve(name.replace(COLLECTIVE_SUFFIX, ''), villageCode);
  if (typeof village === 'string') return { villageCode: village };
  if (name.endsWith('户')) {
    const households = await householdsRepo.findByHeadName(svc.db, villageCode, name.slice(0, -1));
    if (households.length === 1) return { householdId: households[0].id };
    if (households.length > 1) throw new DomainError('AMBIGUOUS_NAME', `${households.length} households of the village are headed by ${name.slice(0, -1)}`, field);
  }
  throw new DomainError('UNKNOWN_PARTY', `${name} is neither a village, a registered party of the county nor a household of the village`, field);
}

/** The villages of the import's region, by code and by name: a sheet writes 所在村 either way. */
export class Villages {
  private constructor(
    private readonly byCode: Map<string, Region>,
    private readonly byName: Map<string, Region[]>,
    private readonly regionCode: string,
  ) {}

  static async load(db: Db, regionCode: string): Promise<Villages> {
    // A collective of another village of the county can own a share: names resolve county-wide.
    const all = await regionsRepo.villagesUnder(db, prefixOf(regionCode).slice(0, 6));
    const byName = new Map<string, Region[]>();
    for (const v of all) byName.set(v.name, [...(byName.get(v.name) ?? []), v]);
    return new Villages(new Map(all.map((v) => [v.code, v])), byName, regionCode);
  }

  /** The village's code, or why not. `near` prefers a namesake in the same township as that village. */
  resolve(text: string, near?: string): string | { problem: string } {
    const inRegion = (code: string) => near !== undefined || code.startsWith(prefixOf(this.regionCode));
    if (/^\d{12}$/.test(text)) {
      const v = this.byCode.get(text);
      if (v && inRegion(v.code)) return v.code;
      return { problem: `${text} is not a village in region ${this.regionCode}` };
    }
    let hits = (this.byName.get(text) ?? []).filter((v) => inRegion(v.code));
    if (hits.length > 1 && near) hits = hits.filter((v) => townshipCodeOf(v.code) === townshipCodeOf(near));
    if (hits.length === 1) return hits[0].code;
    if (hits.length > 1) return { problem: `${hits.length} villages are called ${text}: write the 12-digit village code` };
    return { problem: `No village ${text} in region ${this.regionCode}` };
  }
}

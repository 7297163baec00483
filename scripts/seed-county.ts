/**
 * npm run seed:county: a plausible county at scale (南江县, 511922), for benchmarks and load tests.
 *
 *   npm run seed:county -- --assets 100000 --households 10000 --income-rows 1000000 [--villages N] [--seed S]
 *   SQLITE_FILE=/tmp/county.sqlite npm run seed:county -- --assets 10000 --households 1000 --income-rows 100000
 *   DATABASE_URL=postgres://… npm run seed:county -- …
 *
 * The database (SQLITE_FILE / data/bangfu-ledger.sqlite, or DATABASE_URL) is migrated and must be empty (no
 * regions): the generator refuses to mix with real data. Everything is written with multi-row inserts inside
 * a few big transactions — never one mutation at a time — and is a pure function of the arguments and the
 * seed (mulberry32), so two runs with the same arguments build the same county, hash for hash except the
 * row ids PostgreSQL hands out (they are the same too on a fresh database).
 *
 * What it builds:
 *  - regions: 四川省 › 巴中市 › 南江县 › townships (≈ villages/20, real township names first) › villages;
 *  - parties: a collective per village, a government per township, three county bodies, operators
 *    (companies, cooperatives, individuals: one per 4 villages), a household party per household;
 *  - users with fixed tokens (SEED_TOKENS, printed): admin, county finance and planner, a township reviewer
 *    and a village clerk of the first township/village — a benchmark county, never a real one;
 *  - projects (≈ 1 per 25 assets, in a village, 2016–2024) whose funding lines are exactly the sums of their
 *    assets' lines by source;
 *  - assets across the three classes and every sub-type, one or two funding lines each (15 sources), in
 *    statuses REGISTERED → CONFIRMED → HANDED_OVER → IN_OPERATION / IN_USE / IDLE, each step with its
 *    asset_events row, rights confirmation and owners (county, township, village, household levels; some
 *    operating assets jointly owned by two collectives), handover deeds;
 *  - contracts (lease/contracting/entrusted, one version, a village resolution and a township filing) with
 *    their CONTRACT holds, on operating assets in operation;
 *  - households with status histories (FORMERLY_POOR / MONITORED / ORDINARY, some with two changes);
 *  - income rows (rent under those contracts, 2021–2025, in date order) with their journal entries (payer →
 *    owners' INCOME_PENDING_DISTRIBUTION, split by owner shares) written through the journal repository's
 *    bulk path with a valid hash chain, and the chain head advanced: `npm run verify` passes.
 *
 * Deliberately not generated (so that the seed stays minutes, not hours): asset_events rows for income
 * (the service writes one per receipt; the register's reads do not depend on them), distributions,
 * upkeep, documents, bundles, disposals.
 *
 * Tables without a batch function in their repository are written here directly (knex multi-row inserts,
 * explicit ids so that no RETURNING is needed); the journal goes through journal.repository
 * (ensureAccounts, insertEntriesBulk, advanceHead) and the hash functions of journal.hash.
 */
import crypto from 'node:crypto';
import type { Db, Executor } from '../src/db/connection';
import { createDb, isPostgres } from '../src/db/connection';
import { migrateLatest } from '../src/db/migrations';
import { insertRegions } from '../src/modules/regions/regions.repository';
import { createUserWithToken } from '../src/modules/auth/auth.service';
import * as journalRepo from '../src/modules/journal/journal.repository';
import { canonicalEntry, chainHash, GENESIS_HASH } from '../src/modules/journal/journal.hash';
import type { AccountKind } from '../src/modules/journal/journal.types';
import { SUB_TYPES_BY_CLASS, CLASS_CODE, type AssetClass } from '../src/modules/assets/assets.types';
import { FUND_SOURCES, IMPLIED_LEVEL, type FundSource } from '../src/modules/projects/projects.types';

export const COUNTY = '511922000000';
export const PROVINCE = '510000000000';
const CITY = '511900000000';
const NOW = '2026-01-05T02:00:00.000Z';

/** Tokens of the generated users (a benchmark county: these are public). */
export const SEED_TOKENS = {
  admin: 'seed-admin',
  finance: 'seed-county-finance',
  planner: 'seed-county-planner',
  reviewer: 'seed-township-reviewer',
  clerk: 'seed-village-clerk',
} as const;

export interface CountyOptions {
  assets: number;
  households: number;
  incomeRows: number;
  /** Default: one village per 250 assets, at least 1, at most 999 × townships allow. */
  villages?: number;
  seed?: number;
  onProgress?: (message: string) => void;
}

export interface CountySummary {
  townships: number;
  villages: number;
  projects: number;
  assets: number;
  households: number;
  contracts: number;
  incomeRows: number;
  entries: number;
  firstVillage: string;
  firstTownship: string;
  seconds: number;
}

/** mulberry32: small, fast, deterministic. */
export function prng(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOWNSHIP_NAMES = [
  '南江镇', '长赤镇', '正直镇', '大河镇', '光雾山镇', '东榆镇', '赤溪镇', '沙河镇', '元潭镇', '下两镇', '赶场镇', '杨坝镇',
  '天池镇', '红光镇', '云顶镇', '双流镇', '关坝镇', '八庙镇', '高塔镇', '关路镇', '侯家镇', '桥亭镇', '仁和镇', '北极镇',
  '兴马镇', '公山镇', '坪河镇', '和平镇', '朱公镇', '团结镇', '贵民镇', '流坝镇', '神门镇', '黑潭镇', '四合镇', '石滩镇',
];
const SYL1 = ['茶', '金', '石', '柏', '龙', '凤', '青', '白', '桃', '杨', '马', '黄', '松', '竹', '梨', '李', '高', '新', '银', '观'];
const SYL2 = ['坪', '台', '河', '岩', '湾', '山', '坝', '垭', '沟', '林', '溪', '桥', '岭', '庙', '田', '口', '池', '坡', '园', '滩'];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '胡', '朱', '高', '林', '何', '郭', '马', '罗'];
const GIVEN = ['德明', '秀英', '建国', '桂兰', '志强', '玉珍', '国华', '淑芬', '永红', '文军', '春梅', '大勇', '小燕', '金山', '玉兰'];
const UNIT: Record<AssetClass, [string, number, number]> = {
  OPERATING: ['平方米', 100, 3000],
  PUBLIC_WELFARE: ['公里', 1, 20],
  HOUSEHOLD: ['个', 1, 50],
};
const SUB_LABEL: Record<string, string> = {
  INDUSTRY_BASE: '产业基地', PROCESSING_FACILITY: '加工厂房', TOURISM_FACILITY: '乡村民宿', ECOMMERCE_FACILITY: '电商服务站',
  PV_STATION: '光伏电站', ASSISTANCE_WORKSHOP: '帮扶车间', MACHINERY: '农机设备', REVENUE_INFRASTRUCTURE: '冷链仓储',
  EQUITY_STAKE: '入股股权', DEBT_CLAIM: '借款债权', OTHER_OPERATING: '经营设施', ROAD: '产业路', FARMLAND_WATER: '蓄水池',
  DRINKING_WATER: '饮水工程', SANITATION: '公厕', SCHOOL: '幼教点', CULTURE_SPORTS: '文化广场', CLINIC: '卫生室', POWER: '农网改造',
  SERVICE_CENTRE: '便民服务中心', NETWORK: '通信基站', OTHER_PUBLIC: '公益设施', LIVESTOCK: '能繁母牛', ORCHARD: '核桃园',
  SMALL_MACHINERY: '微耕机', GREENHOUSE: '蔬菜大棚', OTHER_HOUSEHOLD: '到户产业',
};

const pad = (n: number, w: number) => String(n).padStart(w, '0');
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86400_000).toISOString().slice(0, 10);
const ts = (date: string, secondOfDay = 36000) => new Date(Date.parse(`${date}T00:00:00Z`) + secondOfDay * 1000).toISOString();

/** A syntactically valid resident ID number (GB 11643 check digit), unique by serial. */
function idNumber(region6: string, birth: string, serial: number): string {
  const body = `${region6}${birth.replace(/-/g, '')}${pad(serial % 1000, 3)}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, c, i) => s + Number(c) * weights[i], 0);
  return body + '10X98765432'[sum % 11];
}

/** Multi-row inserts in chunks under SQLite's 500-term compound SELECT limit. */
async function insertRows(db: Executor, table: string, rows: readonly Record<string, unknown>[], per = 400): Promise<void> {
  for (let i = 0; i < rows.length; i += per) await db(table).insert(rows.slice(i, i + per));
}

export function defaultVillages(assets: number): number {
  return Math.max(1, Math.min(999, Math.ceil(assets / 250)));
}

export async function seedCounty(db: Db, opts: CountyOptions): Promise<CountySummary> {
  const started = Date.now();
  const log = opts.onProgress ?? (() => {});
  const random = prng(opts.seed ?? 20261122);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  for (const [k, v] of Object.entries({ assets: opts.assets, households: opts.households, incomeRows: opts.incomeRows })) {
    if (!Number.isInteger(v) || v < 0) throw new Error(`${k} must be a non-negative integer, got ${v}`);
  }
  const nVillages = opts.villages ?? defaultVillages(opts.assets);
  if (!Number.isInteger(nVillages) || nVillages < 1) throw new Error(`villages must be a positive integer, got ${nVillages}`);
  const nTownships = Math.max(1, Math.ceil(nVillages / 20));
  if (nTownships > 899) throw new Error('too many villages');
  if (Number((await db('regions').count({ n: '*' }).first())?.n ?? 0) > 0) {
    throw new Error('the database is not empty (it has regions): seed:county builds a county in an empty database only');
  }

  // ---- regions -----------------------------------------------------------------------------------------
  const townships = Array.from({ length: nTownships }, (_, t) => ({
    code: `511922${pad(101 + t, 3)}000`,
    name: TOWNSHIP_NAMES[t] ?? `第${t + 1}镇`,
  }));
  const villageNames = new Set<string>();
  const villages = Array.from({ length: nVillages }, (_, v) => {
    const t = v % nTownships;
    const code = `${townships[t].code.slice(0, 9)}${pad(1 + Math.floor(v / nTownships), 3)}`;
    let name = `${pick(SYL1)}${pick(SYL2)}村`;
    if (villageNames.has(name)) name = `${name.slice(0, -1)}${v + 1}村`;
    villageNames.add(name);
    return { code, name, township: t };
  });
  await db.transaction(async (trx) => {
    await insertRegions(trx, [
      { code: PROVINCE, name: '四川省', level: 'PROVINCE', parentCode: null },
      { code: CITY, name: '巴中市', level: 'CITY', parentCode: PROVINCE },
      { code: COUNTY, name: '南江县', level: 'COUNTY', parentCode: CITY },
      ...townships.map((t) => ({ code: t.code, name: t.name, level: 'TOWNSHIP' as const, parentCode: COUNTY })),
      ...villages.map((v) => ({ code: v.code, name: v.name, level: 'VILLAGE' as const, parentCode: townships[v.township].code })),
    ]);
  });
  log(`regions: ${nTownships} townships, ${nVillages} villages`);

  // ---- users ---------------------------------------------------------------------------------------------
  const users: Record<keyof typeof SEED_TOKENS, number> = {} as any;
  for (const [key, role, region, name] of [
    ['admin', 'ADMIN', PROVINCE, '基准管理员'],
    ['finance', 'COUNTY_FINANCE', COUNTY, '县财政局'],
    ['planner', 'COUNTY_PLANNER', COUNTY, '县农业农村局'],
    ['reviewer', 'TOWNSHIP_REVIEWER', townships[0].code, `${townships[0].name}审核`],
    ['clerk', 'VILLAGE_CLERK', villages[0].code, `${villages[0].name}会计`],
  ] as const) {
    users[key] = (await createUserWithToken(db, { name, role, regionCode: region, token: SEED_TOKENS[key], label: 'seed:county' }, NOW)).userId;
  }
  const actor = users.clerk;

  // ---- parties and households ----------------------------------------------------------------------------
  let partyId = 0;
  const parties: Record<string, unknown>[] = [];
  const party = (kind: string, name: string, regionCode: string, extra: Record<string, unknown> = {}) => {
    parties.push({ id: ++partyId, kind, name, region_code: regionCode, created_at: NOW, ...extra });
    return partyId;
  };
  const collective = villages.map((v) => party('VILLAGE_COLLECTIVE', `${v.name}股份经济合作社`, v.code));
  const townshipParty = townships.map((t) => party('TOWNSHIP', `${t.name}人民政府`, t.code));
  const countyBodies = ['南江县农业农村局', '南江县国有资产经营公司', '南江县交通运输局'].map((n) => party('COUNTY_BODY', n, COUNTY));
  const operators = Array.from({ length: Math.max(1, Math.ceil(nVillages / 4)) }, (_, i) => {
    const v = villages[i % nVillages];
    const r = i % 5;
    if (r < 3) return party('COMPANY', `南江县${pick(SYL1)}${pick(SYL2)}农业发展有限公司${i + 1}`, COUNTY, { credit_code: `91511922MA${pad(i, 7)}X` });
    if (r === 3) return party('COOPERATIVE', `${v.name}种养殖专业合作社`, v.code);
    return party('INDIVIDUAL', `${pick(SURNAMES)}${pick(GIVEN)}`, v.code);
  });

  const householdRows: Record<string, unknown>[] = [];
  const statusRows: Record<string, unknown>[] = [];
  const householdsOfVillage: number[][] = villages.map(() => []);
  const householdParty: number[] = [];
  let statusId = 0;
  for (let h = 1; h <= opts.households; h++) {
    const vi = (h - 1) % nVillages;
    const v = villages[vi];
    const r = random();
    const history: [string, string][] =
      r < 0.55
        ? [['FORMERLY_POOR', '2020-12-31']]
        : r < 0.65
          ? [['MONITORED', '2021-06-30']]
          : r < 0.72
            ? [['MONITORED', '2021-06-30'], ['FORMERLY_POOR', `202${int(2, 4)}-12-31`]]
            : [['ORDINARY', '2020-12-31']];
    const birth = `19${int(45, 85)}-${pad(int(1, 12), 2)}-${pad(int(1, 28), 2)}`;
    const headName = `${pick(SURNAMES)}${pick(GIVEN)}`;
    householdRows.push({
      id: h,
      village_code: v.code,
      head_name: headName,
      // The serial makes the number unique; the birth date and check digit make it look right.
      id_number: idNumber(`5${pad(Math.floor(h / 1000) % 100000, 5)}`, birth, h),
      member_count: int(1, 6),
      status: history[history.length - 1][0],
      created_at: NOW,
      updated_at: NOW,
    });
    for (const [status, on] of history) {
      statusRows.push({ id: ++statusId, household_id: h, status, effective_on: on, reason: null, actor_user_id: actor, recorded_at: ts(on) });
    }
    householdsOfVillage[vi].push(h);
    householdParty[h] = party('HOUSEHOLD', `${headName}户`, v.code, { household_id: h });
  }
  await db.transaction(async (trx) => {
    await insertRows(trx, 'households', householdRows);
    await insertRows(trx, 'household_status_changes', statusRows);
    await insertRows(trx, 'parties', parties);
  });
  log(`parties ${parties.length}, households ${opts.households} (${statusRows.length} status changes)`);

  // ---- projects, assets, rights, handovers, contracts ----------------------------------------------------
  const nProjects = Math.max(1, Math.ceil(opts.assets / 25));
  const projects = Array.from({ length: nProjects }, (_, p) => {
    const vi = p % nVillages;
    const year = 2016 + (p % 9);
    const sources = [...new Set([pick(FUND_SOURCES.slice(0, 4)), pick(FUND_SOURCES), 'VILLAGE_SELF_FUNDED' as FundSource])];
    return { id: p + 1, vi, year, sources, bySource: new Map<FundSource, number>(), total: 0 };
  });
  const codeSeq = new Map<string, number>();
  const eligible: { assetId: number; contractId: number; vi: number; owners: { partyId: number; bp: number }[]; payer: number; rentFen: number }[] = [];
  let assetEventId = 0;
  let confirmationId = 0;
  let ownerId = 0;
  let deedId = 0;
  let contractId = 0;
  let versionId = 0;
  let decisionId = 0;
  let holdId = 0;
  let fundingLineId = 0;
  const BATCH = 5000;
  let batch: Record<string, Record<string, unknown>[]> = {};
  const push = (table: string, row: Record<string, unknown>) => (batch[table] ??= []).push(row);
  const flush = async (trx: Executor) => {
    for (const table of ['assets', 'asset_funding_lines', 'asset_events', 'rights_confirmations', 'asset_owners', 'handover_deeds', 'contracts', 'contract_versions', 'contract_decisions', 'asset_holds']) {
      if (batch[table]) await insertRows(trx, table, batch[table]);
    }
    batch = {};
  };
  const event = (assetId: number, action: string, from: string | null, to: string, on: string, payload: Record<string, unknown> = {}) =>
    push('asset_events', { id: ++assetEventId, asset_id: assetId, action, from_status: from, to_status: to, effective_on: on, reason: null, payload: JSON.stringify(payload), actor_user_id: actor, recorded_at: ts(on) });

  await db.transaction(async (trx) => {
    // Projects go first (assets reference them); their totals and funding lines are written at the end,
    // when the sums of their assets are known.
    await insertRows(trx, 'projects', projects.map((p) => ({ id: p.id, name: `${villages[p.vi].name}${p.year}年帮扶项目${p.id}`, year: p.year, implementing_unit: '南江县农业农村局', region_code: villages[p.vi].code, county_code: COUNTY, total_fen: 0, created_at: ts(`${p.year}-03-01`) })));
    for (let a = 1; a <= opts.assets; a++) {
      if (a % BATCH === 0) await flush(trx);
      const project = projects[(a - 1) % nProjects];
      const vi = project.vi;
      const v = villages[vi];
      const r = random();
      const cls: AssetClass = r < 0.35 ? 'OPERATING' : r < 0.85 ? 'PUBLIC_WELFARE' : 'HOUSEHOLD';
      const subType = pick(SUB_TYPES_BY_CLASS[cls]);
      const [unit, qlo, qhi] = UNIT[cls];
      const value = cls === 'HOUSEHOLD' ? int(5, 200) * 100_00 : int(10, 5000) * 1000_00;
      const year = project.year;
      const seqKey = `${year}/${cls}`;
      const seq = (codeSeq.get(seqKey) ?? 0) + 1;
      codeSeq.set(seqKey, seq);
      const completed = `${year}-${pad(int(5, 10), 2)}-${pad(int(1, 28), 2)}`;
      const accepted = addDays(completed, int(10, 40));
      const booked = addDays(accepted, int(5, 30));
      // Lifecycle: 5% registered only, 5% confirmed, 8% handed over, the rest working (3% of those idle).
      const stage = random();
      const confirmedOn = addDays(booked, int(5, 30));
      const handedOn = addDays(confirmedOn, int(5, 30));
      const working = stage >= 0.18;
      const status = stage < 0.05 ? 'REGISTERED' : stage < 0.1 ? 'CONFIRMED' : stage < 0.18 ? 'HANDED_OVER' : random() < 0.03 ? 'IDLE' : cls === 'OPERATING' ? 'IN_OPERATION' : 'IN_USE';
      // Funding: one or two of the project's sources, summing to the value exactly.
      const src1 = project.sources[0];
      const src2 = project.sources.length > 1 && random() < 0.6 ? pick(project.sources.slice(1)) : null;
      const part1 = src2 ? Math.round((value * int(60, 90)) / 100) : value;
      const lines: [FundSource, number][] = src2 ? [[src1, part1], [src2, value - part1]] : [[src1, value]];
      for (const [s, amt] of lines) {
        project.bySource.set(s, (project.bySource.get(s) ?? 0) + amt);
        push('asset_funding_lines', { id: ++fundingLineId, asset_id: a, source: s, level: IMPLIED_LEVEL[s] ?? null, amount_fen: amt });
      }
      project.total += value;
      push('assets', {
        id: a,
        county_code: COUNTY,
        code: `511922-${year}-${CLASS_CODE[cls]}-${pad(seq, 4)}`,
        name: `${v.name}${SUB_LABEL[subType] ?? subType}${seq}号`,
        class: cls,
        sub_type: subType,
        quantity: int(qlo, qhi),
        unit,
        village_code: v.code,
        location: `${townships[v.township].name}${v.name}${int(1, 12)}组`,
        project_id: project.id,
        year,
        original_value_fen: value,
        completed_on: completed,
        accepted_on: accepted,
        handed_over_on: stage >= 0.1 ? handedOn : null,
        booked_on: booked,
        status,
        created_at: ts(booked),
        updated_at: ts(stage >= 0.1 ? handedOn : booked),
      });
      event(a, 'REGISTER', null, 'REGISTERED', booked);
      if (stage < 0.05) continue;
      // Rights: public welfare mostly village or township/county; household assets to a household.
      const level = cls === 'HOUSEHOLD' && householdsOfVillage[vi].length ? 'HOUSEHOLD' : cls === 'PUBLIC_WELFARE' && random() < 0.2 ? (random() < 0.5 ? 'TOWNSHIP' : 'COUNTY') : 'VILLAGE';
      let owners: { partyId: number; bp: number }[];
      if (level === 'HOUSEHOLD') owners = [{ partyId: householdParty[pick(householdsOfVillage[vi])], bp: 10000 }];
      else if (level === 'TOWNSHIP') owners = [{ partyId: townshipParty[v.township], bp: 10000 }];
      else if (level === 'COUNTY') owners = [{ partyId: countyBodies[0], bp: 10000 }];
      else if (cls === 'OPERATING' && nVillages > 1 && random() < 0.08) owners = [{ partyId: collective[vi], bp: 6000 }, { partyId: collective[(vi + 1) % nVillages], bp: 4000 }];
      else owners = [{ partyId: collective[vi], bp: 10000 }];
      const cid = ++confirmationId;
      push('rights_confirmations', { id: cid, asset_id: a, kind: 'CONFIRMATION', rights_level: level, certificate_no: `南资确〔${confirmedOn.slice(0, 4)}〕${a}号`, effective_on: confirmedOn, reason: null, approval_ref: null, approved_by: null, approved_on: null, actor_user_id: actor, recorded_at: ts(confirmedOn) });
      for (const o of owners) push('asset_owners', { id: ++ownerId, asset_id: a, party_id: o.partyId, share_bp: o.bp, effective_from: confirmedOn, effective_to: null, confirmation_id: cid, recorded_at: ts(confirmedOn) });
      event(a, 'CONFIRM_RIGHTS', 'REGISTERED', 'CONFIRMED', confirmedOn, { confirmationId: cid, rightsLevel: level });
      if (stage < 0.1) continue;
      push('handover_deeds', { id: ++deedId, asset_id: a, deed_no: `南资移〔${handedOn.slice(0, 4)}〕${a}号`, handed_over_on: handedOn, transferor: '南江县农业农村局', recipient_party_id: owners[0].partyId, recipient_signatory: null, witness: `${townships[v.township].name}人民政府`, note: null, actor_user_id: actor, recorded_at: ts(handedOn) });
      event(a, 'HAND_OVER', 'CONFIRMED', 'HANDED_OVER', handedOn, { deedId });
      if (!working) continue;
      const startOn = addDays(handedOn, int(1, 20));
      const workStatus = cls === 'OPERATING' ? 'IN_OPERATION' : 'IN_USE';
      event(a, cls === 'OPERATING' ? 'START_OPERATION' : 'PUT_IN_USE', 'HANDED_OVER', workStatus, startOn);
      if (status === 'IDLE') event(a, 'MARK_IDLE', workStatus, 'IDLE', addDays(startOn, 400));
      if (cls !== 'OPERATING' || status !== 'IN_OPERATION') continue;
      // A contract: lease or contracting (a yearly rent of 3–8% of value), 10 years, to an operator.
      const k = ++contractId;
      const mode = pick(['LEASE', 'LEASE', 'CONTRACTING', 'ENTRUSTED'] as const);
      const operator = pick(operators);
      const signedOn = addDays(startOn, -int(1, 10));
      const endOn = addDays(addDays(startOn, 3652), -1);
      const rentFen = Math.round((value * int(3, 8)) / 100);
      const contractNo = `南合〔${startOn.slice(0, 4)}〕${k}号`;
      push('contracts', { id: k, asset_id: a, county_code: COUNTY, village_code: v.code, contract_no: contractNo, mode, operator_party_id: operator, status: 'OPEN', signed_on: signedOn, start_on: startOn, end_on: endOn, term_months: 120, current_version: 1, terminated_on: null, termination_reason: null, created_at: ts(signedOn), updated_at: ts(signedOn) });
      push('contract_versions', { id: ++versionId, contract_id: k, version: 1, kind: 'ORIGINAL', signed_on: signedOn, effective_from: startOn, start_on: startOn, end_on: endOn, fee_kind: 'FIXED', fee_amount_fen: rentFen, fee_rate_bp: null, fee_period: 'YEAR', guaranteed_rate_bp: null, deposit_fen: null, reason: null, actor_user_id: actor, recorded_at: ts(signedOn) });
      push('contract_decisions', { id: ++decisionId, contract_id: k, version: 1, kind: 'VILLAGE_RESOLUTION', reference: `${v.name}村民代表会议决议〔${signedOn.slice(0, 4)}〕${k}号`, decided_on: addDays(signedOn, -15), party_id: null, recorded_at: ts(signedOn) });
      push('contract_decisions', { id: ++decisionId, contract_id: k, version: 1, kind: 'TOWNSHIP_FILING', reference: `${townships[v.township].name}备〔${signedOn.slice(0, 4)}〕${k}号`, decided_on: addDays(signedOn, -5), party_id: townshipParty[v.township], recorded_at: ts(signedOn) });
      push('asset_holds', { id: ++holdId, asset_id: a, kind: 'CONTRACT', holder_id: k, holder_label: contractNo, start_on: startOn, end_on: endOn, released_on: null, release_reason: null, status_before: null, actor_user_id: actor, created_at: ts(signedOn), updated_at: ts(signedOn) });
      event(a, 'CONTRACT_SIGN', 'IN_OPERATION', 'IN_OPERATION', signedOn, { contractId: k });
      if (startOn <= '2020-12-31') eligible.push({ assetId: a, contractId: k, vi, owners, payer: operator, rentFen });
    }
    await flush(trx);
    const lines: Record<string, unknown>[] = [];
    let pl = 0;
    for (const p of projects) {
      for (const s of p.sources) {
        const amt = p.bySource.get(s);
        if (amt) lines.push({ id: ++pl, project_id: p.id, source: s, level: IMPLIED_LEVEL[s] ?? null, amount_fen: amt });
      }
      if (p.total) await trx('projects').where({ id: p.id }).update({ total_fen: p.total });
    }
    await insertRows(trx, 'project_funding_lines', lines);
    await insertRows(trx, 'asset_code_sequences', [...codeSeq].map(([key, last]) => {
      const [year, cls] = key.split('/');
      return { county_code: COUNTY, year: Number(year), class: cls, last_seq: last };
    }));
  });
  log(`assets ${opts.assets} in ${nProjects} projects, ${contractId} contracts, ${assetEventId} asset events`);

  // ---- income and the journal ------------------------------------------------------------------------------
  let entries = 0;
  if (opts.incomeRows > 0) {
    if (!eligible.length) throw new Error('income rows need operating assets under contract: give more assets');
    const holders = new Set<string>();
    for (const e of eligible) {
      holders.add(`${e.payer}/EXTERNAL_COUNTERPARTY`);
      for (const o of e.owners) holders.add(`${o.partyId}/INCOME_PENDING_DISTRIBUTION`);
    }
    const pairs = [...holders].map((h) => ({ holderPartyId: Number(h.split('/')[0]), kind: h.split('/')[1] as AccountKind }));
    const accounts = await db.transaction((trx) => journalRepo.ensureAccounts(trx, pairs, NOW));
    const accountOf = (holder: number, kind: AccountKind) => accounts.get(`${holder}/${kind}`)!.id;
    const head = await journalRepo.readHead(db);
    if (head.lastSequence !== 0) throw new Error('the journal is not empty');
    let prevHash = GENESIS_HASH;
    const from = Date.parse('2021-01-01T00:00:00Z');
    const span = Date.parse('2025-12-31T00:00:00Z') - from;
    const CHUNK = 10_000;
    for (let start = 0; start < opts.incomeRows; start += CHUNK) {
      const bulk: Parameters<typeof journalRepo.insertEntriesBulk>[1] = [];
      const records: Record<string, unknown>[] = [];
      for (let i = start; i < Math.min(opts.incomeRows, start + CHUNK); i++) {
        const sequence = i + 1;
        const e = eligible[int(0, eligible.length - 1)];
        const at = from + Math.floor((span * i) / opts.incomeRows);
        const receivedOn = new Date(at).toISOString().slice(0, 10);
        const recordedAt = new Date(at + 3600_000 + (i % 3600) * 1000).toISOString();
        // Monthly-ish rent slices with some variation, at least 1 yuan.
        const amount = Math.max(100, Math.round((e.rentFen / 12) * (0.8 + random() * 0.4)));
        const voucherNo = `SK${receivedOn.slice(0, 4)}-${pad(sequence, 8)}`;
        const shares = e.owners.map((o, j) => ({ o, amt: j === e.owners.length - 1 ? 0 : Math.floor((amount * o.bp) / 10000) }));
        shares[shares.length - 1].amt = amount - shares.slice(0, -1).reduce((s, x) => s + x.amt, 0);
        const postings = [
          { holderPartyId: e.payer, accountKind: 'EXTERNAL_COUNTERPARTY' as AccountKind, accountId: accountOf(e.payer, 'EXTERNAL_COUNTERPARTY'), amountFen: -amount },
          ...shares.filter((s) => s.amt > 0).map((s) => ({ holderPartyId: s.o.partyId, accountKind: 'INCOME_PENDING_DISTRIBUTION' as AccountKind, accountId: accountOf(s.o.partyId, 'INCOME_PENDING_DISTRIBUTION'), amountFen: s.amt })),
        ];
        const key = `seed:county:income:${sequence}`;
        const fields = {
          sequence,
          kind: 'INCOME' as const,
          effectiveOn: receivedOn,
          memo: `租金收入 凭证号 ${voucherNo}`,
          sourceType: 'CONTRACT' as const,
          sourceId: e.contractId,
          assetId: e.assetId,
          reversesEntryId: null,
          idempotencyKey: key,
          requestFingerprint: crypto.createHash('sha256').update(key).digest('hex'),
          actorUserId: actor,
          recordedAt,
        };
        const hash = chainHash(prevHash, canonicalEntry(fields, postings));
        bulk.push({ entry: { ...fields, prevHash, hash }, postings });
        prevHash = hash;
        records.push({ id: sequence, asset_id: e.assetId, village_code: villages[e.vi].code, contract_id: e.contractId, kind: 'RENT', received_on: receivedOn, payer_party_id: e.payer, voucher_no: voucherNo, amount_fen: amount, memo: null, entry_id: sequence, actor_user_id: actor, recorded_at: recordedAt });
      }
      const last = bulk[bulk.length - 1].entry.sequence;
      await db.transaction(async (trx) => {
        await journalRepo.insertEntriesBulk(trx, bulk);
        // Entry ids equal sequences in a fresh journal; income_records point at them, so check it.
        const row = await trx('journal_entries').where({ sequence: last }).first('id');
        if (Number(row?.id) !== last) throw new Error(`journal entry ids do not follow sequences (entry #${last} has id ${row?.id})`);
        await insertRows(trx, 'income_records', records, 300);
        await journalRepo.advanceHead(trx, { lastSequence: last, lastHash: prevHash });
      });
      entries = last;
      if (Math.floor(last / 100_000) !== Math.floor((last - bulk.length) / 100_000) || last === opts.incomeRows) log(`income rows and journal entries: ${last}`);
    }
  }

  // PostgreSQL: explicit ids leave the serial sequences behind; move them past the rows.
  if (isPostgres(db)) {
    for (const t of ['parties', 'households', 'household_status_changes', 'projects', 'project_funding_lines', 'assets', 'asset_funding_lines', 'asset_events', 'rights_confirmations', 'asset_owners', 'handover_deeds', 'contracts', 'contract_versions', 'contract_decisions', 'asset_holds', 'income_records']) {
      await db.raw(`SELECT setval(pg_get_serial_sequence(?, 'id'), GREATEST((SELECT max(id) FROM ${t}), 1))`, [t]);
    }
    await db.raw('ANALYZE');
  } else {
    await db.raw('ANALYZE');
  }
  return {
    townships: nTownships,
    villages: nVillages,
    projects: nProjects,
    assets: opts.assets,
    households: opts.households,
    contracts: contractId,
    incomeRows: opts.incomeRows,
    entries,
    firstVillage: villages[0].code,
    firstTownship: townships[0].code,
    seconds: (Date.now() - started) / 1000,
  };
}

/** --name value pairs of argv. */
export function argOf(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const num = (name: string, fallback?: number) => {
    const v = argOf(argv, name);
    if (v === undefined) {
      if (fallback === undefined) throw new Error(`${name} is required`);
      return fallback;
    }
    const n = Number(v.replace(/_/g, ''));
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got ${v}`);
    return n;
  };
  const opts: CountyOptions = {
    assets: num('--assets', 100_000),
    households: num('--households', 10_000),
    incomeRows: num('--income-rows', 1_000_000),
    villages: argOf(argv, '--villages') ? num('--villages') : undefined,
    seed: num('--seed', 20261122),
    onProgress: (m) => console.error(`  ${m}`),
  };
  const db = createDb();
  try {
    await migrateLatest(db);
    const s = await seedCounty(db, opts);
    const where = process.env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `SQLite ${process.env.SQLITE_FILE ?? 'data/bangfu-ledger.sqlite'}`;
    console.log(
      `南江县 seeded in ${s.seconds.toFixed(1)} s (${where}): ${s.townships} townships, ${s.villages} villages, ${s.projects} projects, ` +
        `${s.assets} assets, ${s.contracts} contracts, ${s.households} households, ${s.incomeRows} income rows / journal entries`,
    );
    console.log(`tokens: ${Object.entries(SEED_TOKENS).map(([k, v]) => `${k}=${v}`).join(' ')}`);
  } finally {
    await db.destroy();
  }
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}

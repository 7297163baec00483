/**
 * The simulator's world: a base database (migrated, with the demo regions, one user per role, two villages
 * each with a handed-over operating asset and three households), and a fresh copy of it per sequence.
 *
 * SQLite: the base is built once in memory, serialised (better-sqlite3 `serialize()`), and every sequence
 * gets its own connection opened on a copy of that buffer — real top-level transactions, as in production.
 * PostgreSQL: the base is built once in a database of its own; every sequence runs inside one outer
 * transaction that is rolled back at the end (each operation's own transaction becomes a savepoint).
 *
 * Everything here goes through the services, the way src/cli/seed.ts does; nothing reads the model.
 */
import crypto from 'node:crypto';
import Database from 'better-sqlite3';
import knex, { Knex } from 'knex';
import { createDb } from '../src/db/connection';
import { CachingSqliteClient } from '../src/db/sqliteClient';
import { migrateLatest } from '../src/db/migrations';
import { grantApplicationRights, roleOf } from '../src/db/roles';
import { fixedClock } from '../src/shared/clock';
import type { Actor } from '../src/shared/actor';
import type { ServiceContext } from '../src/shared/context';
import { createUserWithToken, toActor } from '../src/modules/auth/auth.service';
import type { Role } from '../src/modules/auth/auth.types';
import { insertRegions } from '../src/modules/regions/regions.repository';
import { parentCodeOf } from '../src/modules/regions/regions.codes';
import { collectiveOf } from '../src/modules/parties/parties.service';
import * as partiesRepo from '../src/modules/parties/parties.repository';
import { registerHousehold } from '../src/modules/households/households.service';
import { createProject } from '../src/modules/projects/projects.service';
import { registerAsset } from '../src/modules/assets/assets.service';
import { confirmRights, handOverAsset } from '../src/modules/rights/rights.service';
import { recordIncome } from '../src/modules/income/income.service';
import { approvePlan, createPlan, publishPlanNotice, recordMeeting } from '../src/modules/distribution/distribution.service';
import { residentIdCheckChar } from '../src/modules/households/residentId';
import { creditCodeCheckChar } from '../src/modules/parties/creditCode';
import { contribute, createBundle, recordProfit } from '../src/modules/bundles/bundles.service';
import { appraiseDisposal, decideDisposal, publishNotice, requestDisposal } from '../src/modules/disposal/disposal.service';
import { decide } from '../src/modules/approvals/approvals.service';
import { REGIONS, V } from '../seeds/demo-data';

export const SIM_NOW = '2026-11-22T02:00:00.000Z';
export const COUNTY = '511922000000';
/** The two villages of the world: both in 云顶镇. */
export const VILLAGES = [V.chaping, V.jintai] as const;

export type ActorName = 'admin' | 'clerkA' | 'clerkB' | 'reviewer' | 'otherReviewer' | 'finance' | 'planner';
export const ACTOR_NAMES: ActorName[] = ['admin', 'clerkA', 'clerkB', 'reviewer', 'otherReviewer', 'finance', 'planner'];
const USERS: Record<ActorName, { role: Role; region: string; name: string }> = {
  admin: { role: 'ADMIN', region: '510000000000', name: '管理员' },
  clerkA: { role: 'VILLAGE_CLERK', region: V.chaping, name: '茶坪村会计' },
  clerkB: { role: 'VILLAGE_CLERK', region: V.jintai, name: '金台村会计' },
  reviewer: { role: 'TOWNSHIP_REVIEWER', region: '511922105000', name: '云顶镇审核' },
  otherReviewer: { role: 'TOWNSHIP_REVIEWER', region: '511922102000', name: '长赤镇审核' },
  finance: { role: 'COUNTY_FINANCE', region: COUNTY, name: '县财政' },
  planner: { role: 'COUNTY_PLANNER', region: COUNTY, name: '县规划' },
};
export const ACTOR_ROLE = (a: ActorName): Role => USERS[a].role;
export const ACTOR_REGION = (a: ActorName): string => USERS[a].region;

/** What the base holds, by id: the model starts from the same description. */
export interface BaseIds {
  userIds: Record<ActorName, number>;
  payerPartyId: number;
  /** Per village (VILLAGES order): its operating asset and its three households. */
  villages: { code: string; assetId: number; householdIds: number[]; householdStatuses: string[] }[];
  /** Income recorded in the base: two receipts of 2025 per village, by its clerk. */
  receipts: { village: string; entryId: number; amountFen: number; on: string; voucherNo: string }[];
  /** 茶坪村's plan, walked to APPROVED (notice ended 2026-02-01), distributing its base receipts. */
  plan: { id: number; village: string; spec: BasePlanSpec };
  /** The venture of both villages (云顶镇 supervises it): 金台村's third asset contributed and in force. */
  venture: BaseVenture;
  /** 茶坪村's second asset, its auction approved and its notice published: one step from DISPOSED. */
  disposal: BaseDisposal;
  /** 金台村's second asset, its auction appraised and its chain waiting for the first step (金台村's resolution). */
  pendingDisposal: BaseDisposal;
}

export interface BaseDisposal {
  id: number;
  assetId: number;
  village: string;
  requestedOn: string;
  appraisedOn: string;
  valueFen: number;
  decidedOn: string[];
  noticeStartOn: string | null;
}
export const BASE_DISPOSAL = {
  requestedOn: '2026-08-01',
  appraisedOn: '2026-08-05',
  valueFen: 60_000_000,
  /** The chain of an auction at tier 3: 茶坪村's resolution, 云顶镇, the county department, county finance. */
  decidedOn: ['2026-08-10', '2026-08-12', '2026-08-14', '2026-08-16'],
  deciders: ['clerkA', 'reviewer', 'planner', 'finance'] as ActorName[],
  noticeStartOn: '2026-08-20',
};

export interface BaseVenture {
  id: number;
  partyId: number;
  regionCode: string;
  startOn: string;
  /** 金台村's pooled asset (a third operating asset, BUNDLED since the approval). */
  assetId: number;
  contributionId: number;
  valueFen: number;
  effectiveOn: string;
  /** The distributable profit recorded for 2025. */
  profit: { year: number; profitFen: number; declaredOn: string; reference: string };
}
export const VENTURE = {
  name: '云顶模拟联营公司',
  startOn: '2022-01-01',
  township: '511922105000',
  contributedOn: '2022-03-01',
  valueFen: 3_000_000,
  decidedOn: ['2022-03-10', '2022-03-20'],
  profit: { year: 2025, profitFen: 500_000, declaredOn: '2026-03-01', reference: '2025年度审计报告' },
};
/** A valid unified social credit code (GB 32100) of the simulator's venture. */
export function ventureCreditCode(): string {
  const first17 = '91511922MA6XJM001';
  return first17 + creditCodeCheckChar(first17);
}
/** The meeting record of a village resolution (四议两公开) on an approval chain. */
export const resolutionMeeting = (heldOn: string, majority = true) => ({ heldOn, memberCount: 30, attendance: 27, votesFor: majority ? 25 : 10 });

export interface BasePlanSpec {
  dividendBp: number;
  upkeepBp: number;
  fixedFen: number;
  /** Indices into the village's base households, with weights. */
  recipients: { index: number; weight: number }[];
}
export const BASE_PLAN: BasePlanSpec = { dividendBp: 3000, upkeepBp: 1000, fixedFen: 0, recipients: [{ index: 0, weight: 2 }, { index: 1, weight: 3 }] };
export const BASE_RECEIPTS = [
  { amountFen: 1_234_567, on: '2025-03-31' },
  { amountFen: 33, on: '2025-06-30' },
];

/** The service input of a plan of the simulator's shape. */
export function planInput(village: string, spec: { dividendBp: number; upkeepBp: number; fixedFen: number; recipients: { householdId: number; weight: number }[] }) {
  const lines: any[] = [
    { type: 'HOUSEHOLD_DIVIDEND', basis: 'PERCENT', percentBp: spec.dividendBp, description: '分红', recipients: spec.recipients },
  ];
  if (spec.upkeepBp) lines.push({ type: 'UPKEEP_RESERVE', basis: 'PERCENT', percentBp: spec.upkeepBp, description: '管护', recipients: [] });
  if (spec.fixedFen) lines.push({ type: 'PUBLIC_WORKS', basis: 'FIXED', amountFen: spec.fixedFen, description: '村道', recipients: [] });
  lines.push({ type: 'COLLECTIVE_RETENTION', basis: 'REMAINDER', description: '集体积累', recipients: [] });
  return { villageCode: village, title: '模拟分配方案', periodFrom: '2025-01-01', periodTo: '2025-12-31', planOn: '2026-01-15', lines };
}
export const MEETING_STEPS = ['PARTY_BRANCH_PROPOSAL', 'TWO_COMMITTEES', 'PARTY_MEMBERS', 'REPRESENTATIVES'];
export const meetingInput = (planId: number, k: number, bad = false) => ({
  planId,
  step: MEETING_STEPS[k],
  heldOn: `2026-01-${16 + 2 * k}`,
  memberCount: 9,
  attendance: 9,
  votesFor: bad ? 4 : 8,
  votesAgainst: bad ? 5 : 1,
  abstentions: 0,
});
export const NOTICE_START = '2026-01-23';
/** Ten days (the county's notice period): 23 January to 1 February. */
export const NOTICE_END = '2026-02-01';
export const APPROVED_ON = '2026-01-28';

export const BASE_HOUSEHOLD_STATUSES = ['FORMERLY_POOR', 'MONITORED', 'ORDINARY'] as const;
/** Base assets: handed over on this day, owned 100% by their village's collective. */
export const BASE_HANDED_OVER_ON = '2021-11-20';

export function residentId(n: number): string {
  // Distinct for n in 0..899 (sequence digits), valid check character, born 1950–1994.
  const year = 1950 + (n % 45);
  const month = String(1 + (n % 12)).padStart(2, '0');
  const day = String(1 + (n % 28)).padStart(2, '0');
  const seq = String(100 + (n % 900)).padStart(3, '0');
  const first17 = `511922${year}${month}${day}${seq}`;
  return first17 + residentIdCheckChar(first17);
}

export function actorsOf(userIds: Record<ActorName, number>): Record<ActorName, Actor> {
  const out = {} as Record<ActorName, Actor>;
  for (const n of ACTOR_NAMES) out[n] = toActor({ id: userIds[n], name: USERS[n].name, role: USERS[n].role, region_code: USERS[n].region });
  return out;
}

export const assetInput = (projectId: number, villageCode: string) => ({
  projectId,
  name: '茶叶加工厂房',
  class: 'OPERATING',
  subType: 'PROCESSING_FACILITY',
  quantity: 1200,
  unit: '平方米',
  villageCode,
  originalValueFen: 60_000_000,
  fundingLines: [
    { source: 'CENTRAL_TRANSITION', amountFen: 50_000_000 },
    { source: 'VILLAGE_SELF_FUNDED', amountFen: 10_000_000 },
  ],
  completedOn: '2021-10-01',
  acceptedOn: '2021-11-01',
  bookedOn: '2021-12-01',
});
export const projectInput = (villageCode: string) => ({
  name: '茶叶加工项目',
  year: 2021,
  implementingUnit: '南江县农业农村局',
  regionCode: villageCode,
  fundingLines: [
    { source: 'CENTRAL_TRANSITION', amountFen: 80_000_000 },
    { source: 'VILLAGE_SELF_FUNDED', amountFen: 20_000_000 },
  ],
});
export const confirmInput = (assetId: number, villageCode: string, confirmedOn = '2021-11-10') => ({
  assetId,
  owners: [{ villageCode, shareBp: 10000 }],
  rightsLevel: 'VILLAGE',
  certificateNo: `南江资确〔2021〕${assetId}号`,
  confirmedOn,
  note: 'sim',
});
export const handOverInput = (assetId: number, handedOverOn = BASE_HANDED_OVER_ON) => ({
  assetId,
  deedNo: `南江资移〔2021〕${assetId}号`,
  handedOverOn,
  transferor: '南江县农业农村局',
  recipientSignatory: '张理事长',
  witness: '云顶镇人民政府',
  note: 'sim',
});

/** Builds the base world in `db` (freshly migrated). */
export async function seedBase(db: Knex): Promise<BaseIds> {
  const clock = fixedClock(SIM_NOW);
  await insertRegions(db, REGIONS.map((r) => ({ ...r, parentCode: parentCodeOf(r.code) })));
  for (const r of REGIONS) if (r.level === 'VILLAGE') await collectiveOf(db, clock, r.code);
  const userIds = {} as Record<ActorName, number>;
  for (const n of ACTOR_NAMES) {
    const u = USERS[n];
    userIds[n] = (await createUserWithToken(db, { name: u.name, role: u.role, regionCode: u.region, token: `sim-${n}` }, clock.now())).userId;
  }
  const actors = actorsOf(userIds);
  const payerPartyId = await partiesRepo.insert(db, {
    kind: 'COMPANY',
    name: '模拟经营公司',
    regionCode: COUNTY,
    creditCode: '91510823MA6BSIM001',
    createdAt: clock.now(),
  } as any);
  const villages: BaseIds['villages'] = [];
  const receipts: BaseIds['receipts'] = [];
  let n = 0;
  for (const code of VILLAGES) {
    const clerk = code === V.chaping ? actors.clerkA : actors.clerkB;
    const svc: ServiceContext = { db, clock, actor: clerk };
    const project = await db.transaction((trx) => createProject({ ...svc, db: trx }, projectInput(code)));
    const asset = await db.transaction((trx) => registerAsset({ ...svc, db: trx }, assetInput(project.id, code)));
    await db.transaction((trx) => confirmRights({ ...svc, db: trx }, confirmInput(asset.id, code)));
    await db.transaction((trx) => handOverAsset({ ...svc, db: trx }, handOverInput(asset.id)));
    const householdIds: number[] = [];
    for (const status of BASE_HOUSEHOLD_STATUSES) {
      const h = await db.transaction((trx) =>
        registerHousehold({ ...svc, db: trx }, {
          villageCode: code,
          headName: `基础户${n}`,
          idNumber: residentId(n++),
          memberCount: 2,
          status,
          statusEffectiveOn: '2020-12-31',
        }),
      );
      householdIds.push(h.id);
    }
    villages.push({ code, assetId: asset.id, householdIds, householdStatuses: [...BASE_HOUSEHOLD_STATUSES] });
    for (const [k, rc] of BASE_RECEIPTS.entries()) {
      const voucherNo = `基础收〔2025〕${k}号`;
      const got = await db.transaction((trx) =>
        recordIncome({ ...svc, db: trx }, {
          assetId: asset.id,
          kind: 'RENT',
          receivedOn: rc.on,
          payer: { partyId: payerPartyId },
          voucherNo,
          amountFen: rc.amountFen,
          memo: '租金',
          idempotencyKey: `base-${code}-${k}`,
        }),
      );
      receipts.push({ village: code, entryId: got.posted.entry.id, amountFen: rc.amountFen, on: rc.on, voucherNo });
    }
  }
  // 茶坪村's plan, approved: the sequences can execute it, pay, reverse, within a few steps.
  const chaping = villages[0];
  const svc: ServiceContext = { db, clock, actor: actors.clerkA };
  const on = <T>(actor: Actor, fn: (s: ServiceContext) => Promise<T>) => db.transaction((trx) => fn({ db: trx, clock, actor }));
  const plan = await on(actors.clerkA, (s) =>
    createPlan(s, planInput(chaping.code, { ...BASE_PLAN, recipients: BASE_PLAN.recipients.map((r) => ({ householdId: chaping.householdIds[r.index], weight: r.weight })) })),
  );
  for (let k = 0; k < 4; k++) await on(actors.clerkA, (s) => recordMeeting(s, meetingInput(plan.id, k)));
  await on(actors.clerkA, (s) => publishPlanNotice(s, { planId: plan.id, startOn: NOTICE_START }));
  await on(actors.reviewer, (s) => approvePlan(s, { planId: plan.id, reviewedOn: APPROVED_ON, opinion: '同意' }));
  void svc;
  // The venture (云顶镇's reviewer creates it: both villages lie in the township), a third asset of 金台村
  // contributed at its appraisal and approved (金台村's resolution, the township's filing), 2025's profit.
  const jintai = villages[1];
  const bundle = await on(actors.reviewer, (s) =>
    createBundle(s, { name: VENTURE.name, legalForm: 'COMPANY', creditCode: ventureCreditCode(), startOn: VENTURE.startOn, villageCodes: [chaping.code, jintai.code] }),
  );
  const vProject = await on(actors.clerkB, (s) => createProject(s, projectInput(jintai.code)));
  const vAsset = await on(actors.clerkB, (s) => registerAsset(s, assetInput(vProject.id, jintai.code)));
  await on(actors.clerkB, (s) => confirmRights(s, confirmInput(vAsset.id, jintai.code)));
  await on(actors.clerkB, (s) => handOverAsset(s, handOverInput(vAsset.id)));
  const contributed = await on(actors.clerkB, (s) =>
    contribute(s, {
      bundleId: bundle.bundle.id,
      villageCode: jintai.code,
      kind: 'ASSET',
      assetId: vAsset.id,
      appraisal: { appraiser: '南江资产评估事务所', appraisedOn: '2022-02-15', valueFen: VENTURE.valueFen, reportNo: '南评〔2022〕1号' },
      contributedOn: VENTURE.contributedOn,
    }),
  );
  await on(actors.clerkB, (s) =>
    decide(s, { chainId: contributed.chain.id, decision: 'APPROVE', decidedOn: VENTURE.decidedOn[0], reference: '金台村村民代表会议纪要', meeting: resolutionMeeting(VENTURE.decidedOn[0]) }),
  );
  await on(actors.reviewer, (s) => decide(s, { chainId: contributed.chain.id, decision: 'APPROVE', decidedOn: VENTURE.decidedOn[1], reference: '云顶镇备案' }));
  await on(actors.reviewer, (s) => recordProfit(s, { bundleId: bundle.bundle.id, ...VENTURE.profit }));
  const venture: BaseVenture = {
    id: bundle.bundle.id,
    partyId: bundle.bundle.partyId,
    regionCode: bundle.bundle.regionCode,
    startOn: VENTURE.startOn,
    assetId: vAsset.id,
    contributionId: contributed.contribution.id,
    valueFen: VENTURE.valueFen,
    effectiveOn: VENTURE.decidedOn[1],
    profit: VENTURE.profit,
  };
  // 茶坪村's second asset, on its way to auction: requested, appraised, approved at every step, in notice;
  // 金台村's second asset appraised, its chain waiting for its first step.
  const disposal = await baseDisposal(on, actors, chaping.code, 'clerkA', true);
  const pendingDisposal = await baseDisposal(on, actors, jintai.code, 'clerkB', false);
  return { userIds, payerPartyId, villages, receipts, plan: { id: plan.id, village: chaping.code, spec: BASE_PLAN }, venture, disposal, pendingDisposal };
}

/** An auction of a new handed-over asset of the village: requested and appraised; with `approved`, every step approved and the notice published. */
async function baseDisposal(
  on: <T>(actor: Actor, fn: (s: ServiceContext) => Promise<T>) => Promise<T>,
  actors: Record<ActorName, Actor>,
  village: string,
  clerk: ActorName,
  approved: boolean,
): Promise<BaseDisposal> {
  const bd = BASE_DISPOSAL;
  const project = await on(actors[clerk], (s) => createProject(s, projectInput(village)));
  const asset = await on(actors[clerk], (s) => registerAsset(s, assetInput(project.id, village)));
  await on(actors[clerk], (s) => confirmRights(s, confirmInput(asset.id, village)));
  await on(actors[clerk], (s) => handOverAsset(s, handOverInput(asset.id)));
  const requested = await on(actors[clerk], (s) =>
    requestDisposal(s, { assetId: asset.id, reason: 'IDLE_NOT_REVIVABLE', method: 'AUCTION', requestedOn: bd.requestedOn, description: '长期闲置，拟公开拍卖' }),
  );
  await on(actors[clerk], (s) =>
    appraiseDisposal(s, { disposalId: requested.id, appraiser: '南江资产评估事务所', appraisedOn: bd.appraisedOn, valueFen: bd.valueFen, reportNo: `南评处〔2026〕基础${asset.id}号` }),
  );
  const decidedOn = approved ? bd.decidedOn : [];
  for (const [k, on_] of decidedOn.entries()) {
    const who = k === 0 ? clerk : bd.deciders[k];
    const resolution = k === 0;
    await on(actors[who], (s) =>
      decideDisposal(s, { disposalId: requested.id, decision: 'APPROVE', decidedOn: on_, reference: resolution ? '村民代表会议纪要' : '审批意见', meeting: resolution ? resolutionMeeting(on_) : null }),
    );
  }
  if (approved) await on(actors[clerk], (s) => publishNotice(s, { disposalId: requested.id, startOn: bd.noticeStartOn, content: '拟公开拍卖' }));
  return { id: requested.id, assetId: asset.id, village, requestedOn: bd.requestedOn, appraisedOn: bd.appraisedOn, valueFen: bd.valueFen, decidedOn, noticeStartOn: approved ? bd.noticeStartOn : null };
}

/** A per-sequence database: `db` to run on, `done` to throw it away. */
export interface SequenceDb {
  db: Knex;
  /** SQLite: the sequence's own connection, for reading every table quickly (content hashes). */
  raw?: () => Database.Database;
  done(): Promise<void>;
}

export interface Backend {
  kind: 'sqlite' | 'postgres';
  /** PostgreSQL: the role the operations run as (the application role when DATABASE_APP_ROLE is set). */
  role?: string;
  base: BaseIds;
  open(): Promise<SequenceDb>;
  close(): Promise<void>;
}

// knex's better-sqlite3 client, whose raw connection we open on a buffer instead of a file name.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const BetterSqliteClient = require('knex/lib/dialects/better-sqlite3');

function knexOnImage(image: Buffer): { db: Knex; raw: () => Database.Database } {
  let conn: Database.Database | null = null;
  class ImageClient extends BetterSqliteClient {
    async acquireRawConnection() {
      conn = new Database(image);
      conn.pragma('foreign_keys = ON');
      conn.pragma('recursive_triggers = ON');
      return conn;
    }
  }
  const db = knex({ client: ImageClient as any, connection: { filename: ':memory:' }, useNullAsDefault: true, pool: { min: 1, max: 1 } });
  return { db, raw: () => conn! };
}

/**
 * SQLite in memory: migrated and seeded once; each sequence then runs inside one outer transaction on the
 * same connection, rolled back at the end (each operation's own transaction is a savepoint within it), so a
 * sequence costs no schema load and no copy. `--fresh-copy` instead opens every sequence on its own copy of
 * the serialised base (better-sqlite3 serialize() / new Database(buffer)): slower, top-level transactions.
 */
export async function sqliteBackend(freshCopy = false): Promise<Backend> {
  let conn: Database.Database | null = null;
  // The product's client keeps statements prepared (src/db/sqliteClient.ts): the simulator sends the same few
  // hundred SQL texts thousands of times. It only has to capture the connection to serialise it.
  class CapturingClient extends CachingSqliteClient {
    async acquireRawConnection() {
      conn = new Database(':memory:');
      conn.pragma('foreign_keys = ON');
      conn.pragma('recursive_triggers = ON');
      return conn;
    }
  }
  const db = knex({ client: CapturingClient as any, connection: { filename: ':memory:' }, useNullAsDefault: true, pool: { min: 1, max: 1 } });
  await migrateLatest(db);
  const base = await seedBase(db);
  const image = freshCopy ? conn!.serialize() : null;
  return {
    kind: 'sqlite',
    base,
    async open() {
      if (image) {
        const { db: seqDb, raw } = knexOnImage(image);
        await seqDb.raw('select 1');
        return { db: seqDb, raw, done: () => seqDb.destroy() };
      }
      const trx = await db.transaction();
      return {
        db: trx as unknown as Knex,
        raw: () => conn!,
        done: async () => {
          await trx.rollback().catch(() => undefined);
        },
      };
    },
    async close() {
      await db.destroy();
    },
  };
}

export async function postgresBackend(url: string): Promise<Backend> {
  const name = `bf_sim_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  const adminUrl = new URL(url);
  adminUrl.pathname = '/postgres';
  const admin = knex({ client: 'pg', connection: adminUrl.toString(), pool: { min: 0, max: 1 } });
  await admin.raw(`CREATE DATABASE ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  const owner = createDb({ databaseUrl: u.toString() });
  await migrateLatest(owner);
  // The application's own connection, as the server runs (src/db/roles.ts): with DATABASE_APP_ROLE
  // ("name:password") set, a role that may not update or delete append-only tables nor alter any; the
  // owner only migrates (and drops the database at the end). Without it, the owner's connection.
  const spec = process.env.DATABASE_APP_ROLE;
  let db = owner;
  if (spec) {
    const [role, password = role] = spec.split(':');
    await grantApplicationRights(owner, role);
    const appUrl = new URL(u.toString());
    appUrl.username = role;
    appUrl.password = password;
    db = createDb({ databaseUrl: appUrl.toString() });
  }
  const base = await seedBase(db);
  return {
    kind: 'postgres',
    role: spec ? spec.split(':')[0] : roleOf(u.toString()),
    base,
    async open() {
      const trx = await db.transaction();
      return {
        db: trx as unknown as Knex,
        done: async () => {
          await trx.rollback().catch(() => undefined);
        },
      };
    },
    async close() {
      if (db !== owner) await db.destroy();
      await owner.destroy();
      await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.destroy();
    },
  };
}

/**
 * Demo pooled venture (打包联营, issue 10): 云顶镇's eight villages and communities pool tea plant, homestays
 * and cash into one agricultural company, as reported for 南江县云顶镇 (People's Daily, 2025: 8 villages and
 * communities, more than 12 million yuan of funds and assets, homestays and tea processing, revenue over 25
 * million yuan a year). From the report: the township, the eight members, the kinds of assets, "over 12
 * million". Illustrative (docs/bundles.md): the company's name and credit code, each asset, appraisal and cash
 * figure (together 12 060 000.00 yuan), the dates, the 2024 profit, 金台村's plan and 柏杨社区's withdrawal.
 *
 * Everything goes through the services, each step by the officer whose step it is: the county planner creates
 * the venture; each village's clerk contributes and records the village's resolution; the township reviewer
 * files; the township reviewer splits the 2024 profit; 金台村 distributes its share in 2025 through the whole
 * procedure; 柏杨社区 later withdraws its cash, so the share history shows a change.
 */
import type { ServiceContext } from '../src/shared/context';
import type { Actor } from '../src/modules/auth/auth.types';
import { createUserWithToken, toActor } from '../src/modules/auth/auth.service';
import { createProject } from '../src/modules/projects/projects.service';
import { registerAsset } from '../src/modules/assets/assets.service';
import { confirmRights, handOverAsset } from '../src/modules/rights/rights.service';
import { collectiveOf } from '../src/modules/parties/parties.service';
import { creditCodeCheckChar } from '../src/modules/parties/creditCode';
import { postEntry } from '../src/modules/journal/journal.service';
import { requestFingerprint } from '../src/modules/journal/journal.hash';
import { decide } from '../src/modules/approvals/approvals.service';
import * as approvalsRepo from '../src/modules/approvals/approvals.repository';
import * as bundles from '../src/modules/bundles/bundles.service';
import * as dist from '../src/modules/distribution/distribution.service';
import * as distRepo from '../src/modules/distribution/distribution.repository';
import * as householdsRepo from '../src/modules/households/households.repository';
import type { Household } from '../src/modules/households/households.types';
import { REGIONS, V, YUNDING } from './demo-data';

const yuan = (y: number) => Math.round(y * 100);
const nameOf = (code: string) => REGIONS.find((r) => r.code === code)!.name;

export const DEMO_VENTURE = {
  name: '南江县云顶茶旅农业开发有限公司',
  creditCode: '91511922MA6CYD8T2' + creditCodeCheckChar('91511922MA6CYD8T2'),
  startOn: '2023-03-01',
  members: [V.yundingCommunity, V.jintai, V.shiqiao, V.taoyuan, V.chaping, V.qinggang, V.songlin, V.baiyang],
  /** 2024 distributable profit (illustrative: 12% of the pooled 12 060 000.00), split in full on 2025-03-31. */
  profit2024Yuan: 1_447_200,
  /** The member that later withdraws (its cash refunded on 2025-06-30). */
  withdrawing: V.baiyang,
};

interface PooledAsset {
  name: string;
  subType: 'PROCESSING_FACILITY' | 'INDUSTRY_BASE' | 'TOURISM_FACILITY';
  quantity: number;
  unit: string;
  village: string;
  owners: { villageCode: string; shareBp: number }[];
  valueYuan: number;
  appraisedYuan: number;
  reportNo: string;
}

/** The assets pooled in kind (tea plant, tea garden, homestays, visitor centre), with their appraisals. */
export const POOLED_ASSETS: PooledAsset[] = [
  { name: '云顶茶叶精制加工厂（二期厂房及生产线）', subType: 'PROCESSING_FACILITY', quantity: 3200, unit: '平方米', village: V.chaping, owners: [{ villageCode: V.chaping, shareBp: 10000 }], valueYuan: 3_000_000, appraisedYuan: 2_860_000, reportNo: '川天诚评报字〔2023〕第031号' },
  { name: '石桥村有机茶园（800亩）', subType: 'INDUSTRY_BASE', quantity: 800, unit: '亩', village: V.shiqiao, owners: [{ villageCode: V.shiqiao, shareBp: 10000 }], valueYuan: 1_600_000, appraisedYuan: 1_720_000, reportNo: '川天诚评报字〔2023〕第032号' },
  { name: '金台村云顶山居民宿（12栋）', subType: 'TOURISM_FACILITY', quantity: 12, unit: '栋', village: V.jintai, owners: [{ villageCode: V.jintai, shareBp: 10000 }], valueYuan: 2_200_000, appraisedYuan: 2_150_000, reportNo: '川天诚评报字〔2023〕第033号' },
  // Built jointly by 桃园村 and 云顶社区 (村级联建): both owners' resolutions are needed.
  {
    name: '桃源人家民宿群（10间）',
    subType: 'TOURISM_FACILITY',
    quantity: 10,
    unit: '间',
    village: V.taoyuan,
    owners: [
      { villageCode: V.taoyuan, shareBp: 6000 },
      { villageCode: V.yundingCommunity, shareBp: 4000 },
    ],
    valueYuan: 1_800_000,
    appraisedYuan: 1_750_000,
    reportNo: '川天诚评报字〔2023〕第034号',
  },
  { name: '青岗村茶旅游客接待中心', subType: 'TOURISM_FACILITY', quantity: 1, unit: '处', village: V.qinggang, owners: [{ villageCode: V.qinggang, shareBp: 10000 }], valueYuan: 900_000, appraisedYuan: 880_000, reportNo: '川天诚评报字〔2023〕第035号' },
];

/** Cash pooled (现金入股), from each village's own funds. */
export const POOLED_CASH: [string, number][] = [
  [V.yundingCommunity, 850_000],
  [V.qinggang, 400_000],
  [V.songlin, 950_000],
  [V.baiyang, 500_000],
];

const CONTRIBUTED_ON = '2023-03-15';
const RESOLVED_ON = '2023-03-20';

export async function seedBundlesDemo(svc: ServiceContext, actors: Record<string, Actor>): Promise<void> {
  const planner: ServiceContext = { ...svc, actor: actors.COUNTY_PLANNER };
  const reviewer: ServiceContext = { ...svc, actor: actors.TOWNSHIP_REVIEWER };

  // Each member village's clerk decides its own resolution. 茶坪村's is the demo clerk; the others get users
  // with random tokens (not published: log in as them only from a real deployment's user list).
  const clerks = new Map<string, ServiceContext>([[V.chaping, { ...svc, actor: actors.VILLAGE_CLERK }]]);
  for (const code of DEMO_VENTURE.members.filter((c) => c !== V.chaping)) {
    const name = `${nameOf(code)}报账员`;
    const { userId } = await createUserWithToken(svc.db, { name, role: 'VILLAGE_CLERK', regionCode: code, label: 'demo' }, svc.clock.now());
    clerks.set(code, { ...svc, actor: toActor({ id: userId, name, role: 'VILLAGE_CLERK', region_code: code }) });
  }
  const clerk = (code: string) => clerks.get(code)!;

  // The pooled assets: formed by one 2022 project, confirmed to their owners and handed over.
  const project = await createProject(svc, {
    name: '云顶镇茶旅融合联营资产建设项目',
    year: 2022,
    implementingUnit: '南江县农业农村局',
    regionCode: YUNDING,
    fundingLines: [
      { source: 'CENTRAL_TRANSITION', amountFen: yuan(6_500_000) },
      { source: 'EAST_WEST_COOPERATION', amountFen: yuan(3_000_000) },
    ],
  });
  const assetIds: number[] = [];
  for (const [i, a] of POOLED_ASSETS.entries()) {
    const central = Math.round((a.valueYuan * 65) / 95);
    const asset = await registerAsset(svc, {
      projectId: project.id,
      name: a.name,
      class: 'OPERATING',
      subType: a.subType,
      quantity: a.quantity,
      unit: a.unit,
      villageCode: a.village,
      originalValueFen: yuan(a.valueYuan),
      fundingLines: [
        { source: 'CENTRAL_TRANSITION', amountFen: yuan(central) },
        { source: 'EAST_WEST_COOPERATION', amountFen: yuan(a.valueYuan - central) },
      ],
      completedOn: '2022-10-31',
      acceptedOn: '2022-11-30',
      bookedOn: '2023-01-10',
    });
    await confirmRights(svc, {
      assetId: asset.id,
      owners: a.owners,
      rightsLevel: 'VILLAGE',
      certificateNo: `南江资确〔2022〕${101 + i}号`,
      confirmedOn: '2022-12-15',
    });
    await handOverAsset(svc, {
      assetId: asset.id,
      deedNo: `南江资移〔2022〕${101 + i}号`,
      handedOverOn: '2022-12-28',
      transferor: '南江县农业农村局',
      recipientSignatory: '村股份经济合作社理事长',
      witness: '云顶镇人民政府',
    });
    assetIds.push(asset.id);
  }

  // The villages' own cash, brought onto the journal from their paper books (期初余额).
  for (const [code, y] of POOLED_CASH) {
    const party = await collectiveOf(svc.db, svc.clock, code);
    const key = `demo-opening-cash-${code}`;
    await postEntry(svc, {
      kind: 'OPENING_BALANCE',
      effectiveOn: '2023-01-01',
      memo: `${nameOf(code)}期初银行存款（村集体自有资金）`,
      idempotencyKey: key,
      requestFingerprint: requestFingerprint('demoOpeningBalance', svc.actor.userId, { key }),
      postings: [
        { holderPartyId: party.id, kind: 'OPENING_BALANCE', amountFen: -yuan(y + 100_000) },
        { holderPartyId: party.id, kind: 'CASH', amountFen: yuan(y + 100_000) },
      ],
    });
  }

  // The venture, created by the county planner with its eight members.
  const { bundle } = await bundles.createBundle(planner, {
    name: DEMO_VENTURE.name,
    legalForm: 'COMPANY',
    creditCode: DEMO_VENTURE.creditCode,
    startOn: DEMO_VENTURE.startOn,
    villageCodes: DEMO_VENTURE.members,
  });

  /** Decides every step of a chain: each village by its clerk (四议两公开), then the township's filing. */
  const approveAll = async (chainId: number, on: string, n: number) => {
    for (const step of await approvalsRepo.stepsOf(svc.db, [chainId])) {
      const as = step.kind === 'VILLAGE_RESOLUTION' ? clerk(step.regionCode) : reviewer;
      await decide(as, {
        chainId,
        decision: 'APPROVE',
        decidedOn: on,
        reference: step.kind === 'VILLAGE_RESOLUTION' ? `${nameOf(step.regionCode)}村民代表会议决议〔${on.slice(0, 4)}〕${n}号` : `云顶镇联营备案〔${on.slice(0, 4)}〕${n}号`,
        meeting: step.kind === 'VILLAGE_RESOLUTION' ? { heldOn: on, memberCount: 35, attendance: 31, votesFor: 29 } : null,
      });
    }
  };

  let n = 0;
  for (const [i, a] of POOLED_ASSETS.entries()) {
    const { chain } = await bundles.contribute(clerk(a.village), {
      bundleId: bundle.id,
      villageCode: a.village,
      kind: 'ASSET',
      assetId: assetIds[i],
      appraisal: { appraiser: '四川天诚资产评估有限公司', appraisedOn: '2023-02-28', valueFen: yuan(a.appraisedYuan), reportNo: a.reportNo },
      contributedOn: CONTRIBUTED_ON,
    });
    await approveAll(chain.id, RESOLVED_ON, ++n);
  }
  for (const [code, y] of POOLED_CASH) {
    const { chain } = await bundles.contribute(clerk(code), { bundleId: bundle.id, villageCode: code, kind: 'CASH', amountFen: yuan(y), contributedOn: CONTRIBUTED_ON });
    await approveAll(chain.id, RESOLVED_ON, ++n);
  }

  // 2024: the venture's distributable profit, split in full to the eight members by share.
  await bundles.recordProfit(reviewer, {
    bundleId: bundle.id,
    year: 2024,
    profitFen: yuan(DEMO_VENTURE.profit2024Yuan),
    declaredOn: '2025-03-20',
    reference: '云顶茶旅董决〔2025〕2号（2024年度审计报告：川正信审字〔2025〕第116号）',
    memo: '2024年度营业收入2500余万元，提取公积金后可分配利润',
  });
  const { split } = await bundles.splitIncome(reviewer, {
    bundleId: bundle.id,
    year: 2024,
    amountFen: yuan(DEMO_VENTURE.profit2024Yuan),
    splitOn: '2025-03-31',
    memo: '按股分配至各成员村待分配收益',
    idempotencyKey: 'demo-bundle-split-2024',
  });

  /** The quarter's attendance sheet (2025-01 to 2025-03), one row a month: wages are paid against recorded work. */
  const quarterAttendance = (days: number) =>
    [['01', 31], ['02', 28], ['03', 31]].map(([m, last], i) => ({
      fromOn: `2025-${m}-01`,
      toOn: `2025-${m}-${last}`,
      days: Math.floor(days / 3) + (i < days % 3 ? 1 : 0),
      note: `考勤表2025-${m}`,
    }));

  // 2025: 金台村 distributes its share through the whole procedure (四议两公开, notice, township, payment, results).
  {
    const jintai = clerk(V.jintai);
    const share = split.lines.find((l) => l.villageCode === V.jintai)!.amountFen;
    const rows: Parameters<typeof householdsRepo.toHousehold>[0][] = await householdsRepo.listQuery(svc.db, { regionPrefix: V.jintai }).orderBy('id');
    const hs: Household[] = rows.map(householdsRepo.toHousehold);
    const eligible = hs.filter((h) => h.status !== 'ORDINARY');
    const jobs = hs.filter((h) => h.status === 'ORDINARY').slice(0, 2);
    const plan = await dist.createPlan(jintai, {
      villageCode: V.jintai,
      title: '金台村2025年度联营分红（云顶茶旅公司2024年度收益）分配方案',
      // The period in which the venture's split arrived (2025-03-31).
      periodFrom: '2025-01-01',
      periodTo: '2025-03-31',
      planOn: '2025-04-08',
      totalFen: share,
      // The plan distributes the venture's split alone (its journal entry), not the village's other receipts.
      receipts: [`JournalEntry:${split.entryId}`],
      lines: [
        { type: 'PUBLIC_WELFARE_JOB', basis: 'PERCENT', percentBp: 1000, description: '民宿区保洁、护林公益性岗位工资（按出勤工日）', recipients: jobs.map((h, i) => ({ householdId: h.id, attendance: quarterAttendance([62, 50][i]) })) },
        { type: 'HOUSEHOLD_DIVIDEND', basis: 'PERCENT', percentBp: 3000, description: '脱贫户、监测对象按人口分红（监测对象1.5倍）', recipients: eligible.map((h) => ({ householdId: h.id })) },
        { type: 'PUBLIC_WORKS', basis: 'PERCENT', percentBp: 1500, description: '村组道路及民宿区路灯维护' },
        { type: 'UPKEEP_RESERVE', basis: 'PERCENT', percentBp: 1000, description: '联营资产管护资金' },
        { type: 'COLLECTIVE_RETENTION', basis: 'REMAINDER', description: '集体积累，用于发展壮大村集体经济' },
      ],
    });
    const meetings = [
      ['PARTY_BRANCH_PROPOSAL', 5, 5, 5],
      ['TWO_COMMITTEES', 9, 9, 8],
      ['PARTY_MEMBERS', 30, 26, 24],
      ['REPRESENTATIVES', 38, 33, 30],
    ] as const;
    for (const [i, [step, memberCount, attendance, votesFor]] of meetings.entries()) {
      await dist.recordMeeting(jintai, {
        planId: plan.id,
        step,
        heldOn: `2025-04-${String(10 + i * 2).padStart(2, '0')}`,
        memberCount,
        attendance,
        votesFor,
        votesAgainst: attendance - votesFor,
        abstentions: 0,
        minutesRef: `金台村会议记录〔2025〕${i + 5}号`,
      });
    }
    await dist.publishPlanNotice(jintai, { planId: plan.id, startOn: '2025-04-20' });
    await dist.approvePlan(reviewer, { planId: plan.id, reviewedOn: '2025-05-06', opinion: '联营分红来源清楚，程序完备，同意执行' });
    await dist.executePlan(jintai, { planId: plan.id, executedOn: '2025-05-10', idempotencyKey: `demo-exec-${plan.id}` });
    const recipients = [...new Set((await distRepo.recipientsOf(svc.db, [plan.id])).map((r) => r.householdId))];
    for (const [i, householdId] of recipients.entries()) {
      await dist.recordPayment(jintai, {
        planId: plan.id,
        householdId,
        paidOn: '2025-05-15',
        bankReference: `NJNCXYS20250515${String(i + 1).padStart(4, '0')}`,
        idempotencyKey: `demo-pay-${plan.id}-${householdId}`,
      });
    }
    await dist.publishResults(jintai, { planId: plan.id, startOn: '2025-05-18' });
  }

  // Mid-2025: 柏杨社区 withdraws to fund its own cattle cooperative; its cash is refunded, the shares recomputed.
  {
    const { chain } = await bundles.requestWithdrawal(clerk(DEMO_VENTURE.withdrawing), {
      bundleId: bundle.id,
      villageCode: DEMO_VENTURE.withdrawing,
      withdrawnOn: '2025-06-30',
      reason: '社区集体资金转投能繁母牛养殖合作社，经居民代表会议决议退出联营',
    });
    await approveAll(chain.id, '2025-06-30', ++n);
  }
}

/**
 * Demo revitalisation (issue 12): idle and low-efficiency assets of 南江县 and 剑阁县 detected by the rules on
 * the demo's own data, flags raised, cases on several paths, 联农带农 figures. Everything goes through the
 * services, with fixed past dates, so the figures in the README stay checkable by hand:
 *
 * 南江县 cases (盘活率 to date = (1 800 000 ÷ 6 500 000 + 1 ÷ 4) ÷ 2 = 137/520 ≈ 2635 bp):
 * - 桃园村精品民宿 (1 800 000, idle since its lease ended 2024-11-30): flagged 2025-12-01, case 招强引优 opened
 *   2025-12-10, re-let from 2026-03-01 to 南江县云顶文旅发展有限公司, rent received 2026-03-05, closed (销号) 2026-03-31;
 * - 云顶茶叶加工厂 (3 200 000, 2024 income 150 000 below its 192 000 guarantee): low-efficiency flag 2025-03-15,
 *   case 强化配置 open to 2027-06-30;
 * - 云顶社区游客服务中心 (1 000 000, confirmed 2022 but never handed over or used): flagged 2025-06-01, case 灵活重组
 *   opened 2025-06-10, abandoned 2026-01-15;
 * - 红岩村帮扶车间 (500 000, this seed's, handed over 2022-06-10 and never used): flagged 2025-03-01 (MARK_IDLE),
 *   case 优化用途 with its deadline 2026-06-30 passed: overdue.
 * Detected but not flagged: 松林村茶叶电商直播间 (registered, never confirmed) and 青岗村集中供水工程 (in use on
 * paper, no use or upkeep recorded since 2020).
 *
 * 剑阁县 (this seed's two assets of 亮垭村):
 * - 亮垭村农产品冷藏保鲜库 (600 000, never used since its handover 2021-12-10): flagged with every detected asset of
 *   the county on 2025-04-01, case 招强引优 open to 2026-12-31;
 * - 亮垭村农产品电商服务站 (400 000, run with a cooperative for no rent): low-efficiency in 2024 (nothing against a
 *   12 000 benchmark), excused by its 15 formerly-poor workers;
 * - the kiwi park's 2024 联农带农: output 2 830 000, wages 605 000, 102 formerly-poor workers earning 136 000.
 */
import type { Actor } from '../src/shared/actor';
import type { ServiceContext } from '../src/shared/context';
import { registerAsset } from '../src/modules/assets/assets.service';
import { signContract } from '../src/modules/contracts/contracts.service';
import { recordIncome } from '../src/modules/income/income.service';
import { registerParty } from '../src/modules/parties/parties.service';
import { createProject } from '../src/modules/projects/projects.service';
import {
  abandonCase,
  closeCase,
  openCase,
  raiseIdleFlags,
  raiseLowEfficiencyFlags,
  recordBenefit,
  updateCase,
} from '../src/modules/revitalisation/revitalisation.service';
import { V } from './demo-data';
import { runDemoStep, withCheck } from './demo-rights';

const yuan = (y: number) => Math.round(y * 100);

/** Receipts this seed books (the income demo's count plus these make the journal's INCOME entries). */
export const REVITALISATION_DEMO_RECEIPTS = 1;

export const DEMO_REVITALISATION_NAMES = {
  taoyuan: '桃园村精品民宿（12间）',
  teaPlant: '云顶茶叶加工厂（厂房及生产线）',
  visitorCentre: '云顶社区游客服务中心',
  kiwi: '亮垭村红心猕猴桃产业园（350亩）',
  workshop: '红岩村帮扶车间',
  coldStore: '亮垭村农产品冷藏保鲜库',
  station: '亮垭村农产品电商服务站',
} as const;

interface NewAsset {
  name: string;
  subType: 'ASSISTANCE_WORKSHOP' | 'PROCESSING_FACILITY' | 'ECOMMERCE_FACILITY';
  village: string;
  valueYuan: number;
  quantity: number;
  unit: string;
  completedOn: string;
  acceptedOn: string;
  confirmOn: string;
  handOverOn: string;
}

async function newProject(svc: ServiceContext, p: { name: string; year: number; unit: string; region: string; assets: NewAsset[] }) {
  const total = p.assets.reduce((s, a) => s + a.valueYuan, 0);
  const project = await createProject(svc, {
    name: p.name,
    year: p.year,
    implementingUnit: p.unit,
    regionCode: p.region,
    fundingLines: [{ source: 'CENTRAL_TRANSITION', amountFen: yuan(total) }],
  });
  const ids = new Map<string, number>();
  for (const a of p.assets) {
    const asset = await registerAsset(svc, {
      projectId: project.id,
      name: a.name,
      class: 'OPERATING',
      subType: a.subType,
      quantity: a.quantity,
      unit: a.unit,
      villageCode: a.village,
      originalValueFen: yuan(a.valueYuan),
      fundingLines: [{ source: 'CENTRAL_TRANSITION', amountFen: yuan(a.valueYuan) }],
      completedOn: a.completedOn,
      acceptedOn: a.acceptedOn,
      bookedOn: null,
    });
    const ref = { id: asset.id, name: a.name, villageCode: a.village, transferor: p.unit };
    await runDemoStep(svc, ref, 'CONFIRM_RIGHTS', a.confirmOn);
    await runDemoStep(svc, ref, 'HAND_OVER', a.handOverOn);
    ids.set(a.name, asset.id);
  }
  return ids;
}

export async function seedRevitalisationDemo(svc: ServiceContext, assetIdByName: Map<string, number>, actors: Record<string, Actor>): Promise<void> {
  const as = (key: string): ServiceContext => ({ ...svc, actor: actors[key] });
  const planner = as('COUNTY_PLANNER');
  const N = DEMO_REVITALISATION_NAMES;
  const id = (name: string) => {
    const v = assetIdByName.get(name);
    if (!v) throw new Error(`demo revitalisation: no asset ${name}`);
    return v;
  };

  // This seed's own assets: a workshop in 长赤镇红岩村, a cold store and an e-commerce station in 剑阁县亮垭村.
  for (const [k, v] of await newProject(svc, {
    name: '红岩村帮扶车间建设项目',
    year: 2022,
    unit: '南江县乡村振兴局',
    region: V.hongyan,
    assets: [
      { name: N.workshop, subType: 'ASSISTANCE_WORKSHOP', village: V.hongyan, valueYuan: 500_000, quantity: 800, unit: '平方米', completedOn: '2022-04-30', acceptedOn: '2022-05-20', confirmOn: '2022-06-01', handOverOn: '2022-06-10' },
    ],
  }))
    assetIdByName.set(k, v);
  for (const [k, v] of await newProject(svc, {
    name: '亮垭村产业配套设施项目',
    year: 2021,
    unit: '剑阁县农业农村局',
    region: V.liangya,
    assets: [
      { name: N.coldStore, subType: 'PROCESSING_FACILITY', village: V.liangya, valueYuan: 600_000, quantity: 500, unit: '立方米', completedOn: '2021-10-15', acceptedOn: '2021-11-20', confirmOn: '2021-12-01', handOverOn: '2021-12-10' },
      { name: N.station, subType: 'ECOMMERCE_FACILITY', village: V.liangya, valueYuan: 400_000, quantity: 1, unit: '处', completedOn: '2021-10-15', acceptedOn: '2021-11-20', confirmOn: '2021-12-01', handOverOn: '2021-12-10' },
    ],
  }))
    assetIdByName.set(k, v);

  // 亮垭村's e-commerce station: run with a cooperative for no rent, employing formerly-poor villagers.
  const coop = await registerParty(svc, { kind: 'COOPERATIVE', name: '剑阁县亮垭电商专业合作社', regionCode: V.liangya, creditCode: withCheck('93510823MA6E2K7P3') });
  await signContract(svc, {
    assetId: id(N.station),
    contractNo: '剑阁普安合〔2022〕01号',
    mode: 'COOPERATION',
    operator: { partyId: coop.id },
    signedOn: '2022-02-15',
    startOn: '2022-03-01',
    endOn: '2027-02-28',
    fee: { kind: 'NONE' },
    guaranteedRateBp: null,
    depositFen: null,
    decisions: [],
    note: '合作经营，不收租金，优先吸纳脱贫户务工',
  });

  // 联农带农 figures of 2024, as the operators report them.
  await recordBenefit(as('LIANGYA_CLERK'), { assetId: id(N.kiwi), year: 2024, outputValueFen: yuan(2_830_000), wagesFen: yuan(605_000), poorWorkers: 102, poorWorkerEarningsFen: yuan(136_000), source: '剑阁县农业投资有限公司2024年度经营报告' });
  await recordBenefit(as('LIANGYA_CLERK'), { assetId: id(N.station), year: 2024, outputValueFen: yuan(1_200_000), wagesFen: yuan(180_000), poorWorkers: 15, poorWorkerEarningsFen: yuan(96_000), source: '剑阁县亮垭电商专业合作社2024年度报告' });
  await recordBenefit(as('VILLAGE_CLERK'), { assetId: id(N.teaPlant), year: 2024, outputValueFen: yuan(4_600_000), wagesFen: yuan(380_000), poorWorkers: 6, poorWorkerEarningsFen: yuan(42_000), source: '南江县云顶农业发展有限公司2024年度报告' });

  // 云顶茶叶加工厂: 2024 income below its guarantee, not excused (6 formerly-poor workers, fewer than 10).
  await raiseLowEfficiencyFlags(planner, { assetId: id(N.teaPlant), year: 2024, flaggedOn: '2025-03-15', reason: '2024年收益15万元，低于保底收益19.2万元' });
  const tea = await openCase(planner, {
    assetId: id(N.teaPlant),
    path: 'STRENGTHEN_ALLOCATION',
    measures: '配套冷链仓储与电商销售渠道，约定运营方按季度足额支付保底收益',
    responsibleUnit: '南江县农业农村局',
    responsiblePerson: '刘局长',
    openedOn: '2025-03-20',
    deadlineOn: '2027-06-30',
    target: '年收益不低于合同保底收益19.2万元',
    targetIncomeFen: yuan(192_000),
  });
  await updateCase(planner, { caseId: tea.id, updatedOn: '2025-09-30', note: '冷链仓储已立项，运营方补缴2024年差额的协议在谈' });

  // 红岩村帮扶车间: never used since its handover; the case's deadline has passed.
  await raiseIdleFlags(planner, { assetId: id(N.workshop), flaggedOn: '2025-03-01' });
  await openCase(planner, {
    assetId: id(N.workshop),
    path: 'OPTIMISE_USE',
    measures: '改作村级农产品分拣包装中心，由村集体自营',
    responsibleUnit: '长赤镇人民政府',
    responsiblePerson: '赵镇长',
    openedOn: '2025-03-10',
    deadlineOn: '2026-06-30',
    target: '投入使用并实现年收益2万元',
    targetIncomeFen: yuan(20_000),
  });

  // 云顶社区游客服务中心: built for three villages, never handed over; restructuring failed, abandoned.
  await raiseIdleFlags(planner, { assetId: id(N.visitorCentre), flaggedOn: '2025-06-01' });
  const centre = await openCase(planner, {
    assetId: id(N.visitorCentre),
    path: 'FLEXIBLE_RESTRUCTURING',
    measures: '三村联建资产整合入云顶镇联营公司统一运营',
    responsibleUnit: '云顶镇人民政府',
    responsiblePerson: '王镇长',
    openedOn: '2025-06-10',
    deadlineOn: '2025-12-31',
    target: '入股联营并取得分红',
  });
  await abandonCase(planner, { caseId: centre.id, abandonedOn: '2026-01-15', reason: '三村对股权比例未达成一致，转入县级统筹另行研究' });

  // 桃园村精品民宿: idle since its lease ended; re-let after the case opened, rent received, closed (销号).
  await raiseIdleFlags(planner, { assetId: id(N.taoyuan), flaggedOn: '2025-12-01' });
  const taoyuan = await openCase(planner, {
    assetId: id(N.taoyuan),
    path: 'ATTRACT_OPERATORS',
    measures: '通过农村产权交易平台公开招租，引进县文旅企业整体运营',
    responsibleUnit: '云顶镇人民政府',
    responsiblePerson: '王镇长',
    openedOn: '2025-12-10',
    deadlineOn: '2026-06-30',
    target: '签订5年以上租赁合同，年租金不低于7.2万元（原值4%）',
    targetIncomeFen: yuan(72_000),
  });
  const tenant = await registerParty(svc, { kind: 'COMPANY', name: '南江县云顶文旅发展有限公司', regionCode: '511922000000', creditCode: withCheck('91511922MA6F3N8Q4') });
  const lease = await signContract(svc, {
    assetId: id(N.taoyuan),
    contractNo: '南江桃园租〔2026〕01号',
    mode: 'LEASE',
    operator: { partyId: tenant.id },
    signedOn: '2026-02-20',
    startOn: '2026-03-01',
    endOn: '2031-02-28',
    fee: { kind: 'FIXED', amountFen: yuan(80_000), period: 'YEAR' },
    guaranteedRateBp: 400,
    depositFen: yuan(20_000),
    decisions: [
      { kind: 'VILLAGE_RESOLUTION', reference: '桃园村村民代表会议决议〔2026〕1号', decidedOn: '2026-02-10', villageCode: V.taoyuan },
      { kind: 'TOWNSHIP_FILING', reference: '云顶镇备〔2026〕2号', decidedOn: '2026-02-15' },
    ],
    note: '盘活招租：年租金8万元，保底收益率4%',
  });
  await updateCase(planner, { caseId: taoyuan.id, updatedOn: '2026-02-21', note: '经产权交易平台公开招租，与南江县云顶文旅发展有限公司签订5年租赁合同' });
  await recordIncome(svc, {
    assetId: id(N.taoyuan),
    kind: 'RENT',
    receivedOn: '2026-03-05',
    payer: { partyId: tenant.id },
    voucherNo: '南江桃园收〔2026〕001号',
    amountFen: yuan(80_000),
    memo: '2026年度租金（盘活后首笔）',
    idempotencyKey: 'demo-revitalisation-income-1',
  });
  await closeCase(planner, { caseId: taoyuan.id, closedOn: '2026-03-31', kind: 'NEW_CONTRACT_WITH_INCOME', contractId: lease.contract.id, note: '新签租赁合同并收到首年租金，销号' });

  // 剑阁县: every asset the rule detects on 2025-04-01 at once (the cold store), then its case.
  const jiange = await raiseIdleFlags(svc, { regionCode: '510823000000', flaggedOn: '2025-04-01', reason: '剑阁县闲置资产集中认定' });
  if (jiange.length !== 1 || jiange[0].assetId !== id(N.coldStore)) throw new Error('demo revitalisation: 剑阁县 should detect the cold store only');
  await openCase(svc, {
    assetId: id(N.coldStore),
    path: 'ATTRACT_OPERATORS',
    measures: '引进冷链物流企业承租，服务猕猴桃产业园错峰销售',
    responsibleUnit: '普安镇人民政府',
    responsiblePerson: '周镇长',
    openedOn: '2025-04-15',
    deadlineOn: '2026-12-31',
    target: '签订租赁合同，年租金不低于3.6万元（原值6%）',
    targetIncomeFen: yuan(36_000),
  });
}

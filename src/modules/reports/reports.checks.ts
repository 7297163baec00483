/**
 * 内置审计检查 The built-in audit checks (brief §10, §11 items 27–28; docs/reports.md lists each with its rule
 * and source). Each check reads through the owning module's repository (a dedicated read query there) or reuses
 * that module's own rule function, and returns coded findings; none writes.
 *
 * Extension point: a check is an entry of CHECKS — reports sits at the top and may import any module; none
 * imports reports. The second half's checks (disposal, ventures, revitalisation) and the related-party check
 * (the officials register) read through those modules' repositories and reuse their rule functions
 * (disposal.flagsOf, revitalisation.isOverdue, officials.relatedOn).
 */
import type { ServiceContext } from '../../shared/context';
import { addMonths } from '../../shared/dates';
import { fmtYuan } from './reports.format';
import * as assetsRepo from '../assets/assets.repository';
import type { Asset } from '../assets/assets.types';
import * as projectsRepo from '../projects/projects.repository';
import { confirmedBySubquery, deedBySubquery } from '../rights/rights.repository';
import * as contractsRepo from '../contracts/contracts.repository';
import { toContract } from '../contracts/contracts.repository';
import type { Contract } from '../contracts/contracts.types';
import * as incomeRepo from '../income/income.repository';
import { assignedOnSubquery } from '../upkeep/upkeep.repository';
import * as distributionRepo from '../distribution/distribution.repository';
import { flagsOfPlans } from '../distribution/distribution.service';
import { fundsIdleFlag, oldestWaitingIncome } from '../distribution/distribution.flags';
import * as partiesRepo from '../parties/parties.repository';
import { movementsOf } from '../journal/journal.repository';
import { policyFor } from '../policy/policy.service';
import { canRead } from '../auth/auth.service';
import { relatedIndex, relatedOn } from '../officials/officials.service';
import { OFFICIAL_ROLE_NAMES, VillageOfficial } from '../officials/officials.types';
import * as disposalRepo from '../disposal/disposal.repository';
import { flagsOf as disposalFlagsOf } from '../disposal/disposal.service';
import type { Disposal, DisposalFlag } from '../disposal/disposal.types';
import * as bundlesRepo from '../bundles/bundles.repository';
import * as revitalisationRepo from '../revitalisation/revitalisation.repository';
import { isOverdue } from '../revitalisation/revitalisation.service';
import type { Finding, FindingCode, Severity } from './reports.types';

export interface CheckContext {
  svc: ServiceContext;
  /** Region code prefix the checks run in (already inside the actor's scope). */
  prefix: string;
  asOf: string;
}

export interface Check {
  code: FindingCode;
  severity: Severity;
  /** 中文名 as the findings sheet shows it. */
  title: string;
  run(c: CheckContext): Promise<Finding[]>;
}

const assetObj = (a: Asset) => ({ type: 'Asset', id: a.id, label: `${a.code} ${a.name}` });

function finding(code: FindingCode, severity: Severity, regionCode: string, message: string, objects: Finding['objects'], since: string | null = null): Finding {
  return { code, severity, regionCode, message, objects, evidence: objects[0], since };
}

const projectNotMatched: Check = {
  code: 'PROJECT_NOT_MATCHED_BY_ASSETS',
  severity: 'HIGH',
  title: '项目资金未形成资产 (应登记未登记)',
  async run({ svc, prefix, asOf }) {
    // Projects of a year before the as-of year: a project gets its own year to build and register.
    const rows: unknown[] = await projectsRepo.listQuery(svc.db, { regionPrefix: prefix }).where('year', '<', Number(asOf.slice(0, 4))).orderBy('id');
    const projects = rows.map(projectsRepo.toProject);
    const registered = await assetsRepo.originalValueByProject(svc.db, projects.map((p) => p.id), asOf);
    return projects
      .filter((p) => (registered.get(p.id) ?? 0) < p.totalFen)
      .map((p) => {
        const got = registered.get(p.id) ?? 0;
        return finding('PROJECT_NOT_MATCHED_BY_ASSETS', 'HIGH', p.regionCode,
          `项目「${p.name}」(${p.year}) 资金 ${fmtYuan(p.totalFen)} 元, 已登记资产原值 ${fmtYuan(got)} 元, 差额 ${fmtYuan(p.totalFen - got)} 元未形成登记资产`,
          [{ type: 'Project', id: p.id, label: p.name }]);
      });
  },
};

const registeredNotBooked: Check = {
  code: 'REGISTERED_NOT_BOOKED',
  severity: 'MEDIUM',
  title: '已登记未入账',
  async run({ svc, prefix, asOf }) {
    return (await assetsRepo.notBookedOn(svc.db, prefix, asOf)).map((a) =>
      finding('REGISTERED_NOT_BOOKED', 'MEDIUM', a.villageCode, `资产 ${a.code}「${a.name}」原值 ${fmtYuan(a.originalValueFen)} 元已登记, 截至 ${asOf} 未入账 (账实不符)`, [assetObj(a)], a.acceptedOn),
    );
  },
};

const handedOverUnconfirmed: Check = {
  code: 'HANDED_OVER_WITHOUT_CONFIRMATION',
  severity: 'HIGH',
  title: '已移交未确权',
  async run({ svc, prefix, asOf }) {
    const rows = await assetsRepo
      .registerOnQuery(svc.db, { regionPrefix: prefix }, asOf)
      .where((w) => w.where('assets.handed_over_on', '<=', asOf).orWhereExists(deedBySubquery(svc.db, asOf)))
      .whereNotExists(confirmedBySubquery(svc.db, asOf))
      .select('assets.*')
      .orderBy('assets.id');
    return rows.map(assetsRepo.toAsset).map((a: Asset) =>
      finding('HANDED_OVER_WITHOUT_CONFIRMATION', 'HIGH', a.villageCode, `资产 ${a.code}「${a.name}」已移交 (${a.handedOverOn ?? '见移交书'}), 截至 ${asOf} 无确权记录 (权属不清)`, [assetObj(a)], a.handedOverOn),
    );
  },
};

const leaseWithoutContract: Check = {
  code: 'LEASE_WITHOUT_CONTRACT',
  severity: 'HIGH',
  title: '有租无合同',
  async run({ svc, prefix, asOf }) {
    const out: Finding[] = [];
    // Rent booked with no contract behind it.
    const rents = await incomeRepo.rentWithoutContract(svc.db, prefix, asOf);
    const assets = new Map((await assetsRepo.findByIds(svc.db, rents.map((r) => r.assetId))).map((a) => [a.id, a]));
    for (const r of rents) {
      const a = assets.get(r.assetId)!;
      out.push(finding('LEASE_WITHOUT_CONTRACT', 'HIGH', a.villageCode, `资产 ${a.code}「${a.name}」收取租金 ${r.receipts} 笔共 ${fmtYuan(r.totalFen)} 元, 无经营合同`,
        [{ type: 'IncomeRecord', id: r.firstId, label: `租金收入 (最近 ${r.lastOn})` }, assetObj(a)], r.lastOn));
    }
    // In operation on the date with no contract holding it.
    const running = await assetsRepo.whereNotHeldOn(
      assetsRepo.registerOnQuery(svc.db, { regionPrefix: prefix, class: 'OPERATING', status: 'IN_OPERATION' }, asOf),
      svc.db, 'CONTRACT', asOf,
    ).select('assets.*').orderBy('assets.id');
    for (const a of running.map(assetsRepo.toAsset) as Asset[]) {
      if (assets.has(a.id)) continue;
      out.push(finding('LEASE_WITHOUT_CONTRACT', 'HIGH', a.villageCode, `资产 ${a.code}「${a.name}」${asOf} 处于运营中, 无有效经营合同`, [assetObj(a)]));
    }
    return out;
  },
};

const contractExpired: Check = {
  code: 'CONTRACT_EXPIRED_OPEN',
  severity: 'MEDIUM',
  title: '合同到期未处理',
  async run({ svc, prefix, asOf }) {
    return (await contractsRepo.expiredUnclosed(svc.db, prefix, asOf)).map((c) =>
      finding('CONTRACT_EXPIRED_OPEN', 'MEDIUM', c.villageCode, `合同 ${c.contractNo} 已于 ${c.endOn} 到期, 截至 ${asOf} 未终止、未续签 (长期挂账)`,
        [{ type: 'Contract', id: c.id, label: c.contractNo }, { type: 'Asset', id: c.assetId, label: `资产 ${c.assetId}` }], c.endOn),
    );
  },
};

const contractOverlong: Check = {
  code: 'CONTRACT_OVERLONG',
  severity: 'MEDIUM',
  title: '合同期限过长',
  async run({ svc, prefix, asOf }) {
    const rows = await contractsRepo.overlongQuery(svc.db, prefix, asOf, null).where('contracts.start_on', '<=', asOf).orderBy('contracts.id');
    return rows.map(toContract).map((c: Contract) =>
      finding('CONTRACT_OVERLONG', 'MEDIUM', c.villageCode, `合同 ${c.contractNo} 期限 ${c.termMonths} 个月 (${c.startOn}–${c.endOn}), 超过本县最长期限`,
        [{ type: 'Contract', id: c.id, label: c.contractNo }], c.startOn),
    );
  },
};

const operatingWithoutIncome: Check = {
  code: 'OPERATING_WITHOUT_INCOME',
  severity: 'MEDIUM',
  title: '经营性资产长期无收益',
  async run({ svc, prefix, asOf }) {
    const assets = (await assetsRepo.registerOnQuery(svc.db, { regionPrefix: prefix, class: 'OPERATING', status: 'IN_OPERATION' }, asOf).select('assets.*').orderBy('assets.id')).map(assetsRepo.toAsset) as Asset[];
    const ids = assets.map((a) => a.id);
    const [lastIncome, since] = await Promise.all([incomeRepo.lastIncomeOnBy(svc.db, ids, asOf), assetsRepo.enteredStatusOn(svc.db, ids, 'IN_OPERATION', asOf)]);
    const out: Finding[] = [];
    const policies = new Map<string, Awaited<ReturnType<typeof policyFor>>>();
    for (const a of assets) {
      const county = a.villageCode.slice(0, 6);
      if (!policies.has(county)) policies.set(county, await policyFor(svc.db, a.villageCode));
      const policy = policies.get(county)!;
      const last = lastIncome.get(a.id) ?? null;
      const from = [last, since.get(a.id) ?? null].filter((d): d is string => !!d).sort().pop();
      if (!from || addMonths(from, policy.idleFundsMonths) >= asOf) continue;
      out.push(finding('OPERATING_WITHOUT_INCOME', 'MEDIUM', a.villageCode,
        `资产 ${a.code}「${a.name}」运营中, ${last ? `最近收益 ${last}` : '从未收到收益'}, 已超过 ${policy.idleFundsMonths} 个月无收益 (疑似闲置低效)`, [assetObj(a)], from));
    }
    return out;
  },
};

const publicWelfareWithoutUpkeep: Check = {
  code: 'PUBLIC_WELFARE_WITHOUT_UPKEEP',
  severity: 'MEDIUM',
  title: '公益性资产管护缺位',
  async run({ svc, prefix, asOf }) {
    const rows = await assetsRepo
      .registerOnQuery(svc.db, { regionPrefix: prefix, class: 'PUBLIC_WELFARE', status: 'IN_USE' }, asOf)
      .whereNotExists(assignedOnSubquery(svc.db, asOf))
      .select('assets.*')
      .orderBy('assets.id');
    return rows.map(assetsRepo.toAsset).map((a: Asset) =>
      finding('PUBLIC_WELFARE_WITHOUT_UPKEEP', 'MEDIUM', a.villageCode, `公益性资产 ${a.code}「${a.name}」${asOf} 在用, 未落实管护主体、责任人和经费`, [assetObj(a)]),
    );
  },
};

const fundsIdle: Check = {
  code: 'FUNDS_IDLE',
  severity: 'HIGH',
  title: '收益资金滞留',
  async run({ svc, prefix, asOf }) {
    const out: Finding[] = [];
    for (const collective of await partiesRepo.collectivesIn(svc.db, prefix)) {
      if (!canRead(svc.actor, collective.regionCode)) continue;
      const movements = (await movementsOf(svc.db, collective.id, 'INCOME_PENDING_DISTRIBUTION')).filter((m) => m.effectiveOn <= asOf);
      const oldest = oldestWaitingIncome(movements);
      const flag = fundsIdleFlag(collective.regionCode, oldest, await policyFor(svc.db, collective.regionCode), asOf);
      if (!flag) continue;
      const entry = movements.find((m) => m.effectiveOn === oldest && m.amountFen > 0)!;
      const waiting = movements.reduce((s, m) => s + m.amountFen, 0);
      out.push(finding('FUNDS_IDLE', 'HIGH', collective.regionCode, `${collective.name} 待分配收益 ${fmtYuan(waiting)} 元, 最早一笔 ${oldest} 入账至今未分配 (资金滞留)`,
        [{ type: 'JournalEntry', id: entry.entryId, label: `记账 #${entry.sequence} ${entry.memo}` }, { type: 'Party', id: collective.id, label: collective.name }], oldest));
    }
    return out;
  },
};

const resultsNoticeMissing: Check = {
  code: 'RESULTS_NOTICE_MISSING',
  severity: 'MEDIUM',
  title: '分配后未公开结果',
  async run({ svc, prefix, asOf }) {
    const plans = (await distributionRepo.plansInRegion(svc.db, prefix)).filter((p) => p.status === 'EXECUTED' && canRead(svc.actor, p.villageCode));
    // The distribution module's own flag, judged on the as-of date.
    const flags = await flagsOfPlans(svc.db, { now: () => svc.clock.now(), today: () => asOf }, plans);
    const out: Finding[] = [];
    plans.forEach((p, i) => {
      for (const f of flags[i].filter((x) => x.code === 'RESULTS_NOTICE_MISSING')) {
        out.push(finding('RESULTS_NOTICE_MISSING', 'MEDIUM', p.villageCode, `分配方案「${p.title}」: ${f.message}`, [{ type: 'DistributionPlan', id: p.id, label: p.title }], p.executedOn));
      }
    });
    return out;
  },
};

const duplicatePayment: Check = {
  code: 'DUPLICATE_PAYMENT',
  severity: 'HIGH',
  title: '重复支付',
  async run({ svc, prefix, asOf }) {
    return (await distributionRepo.duplicatePayments(svc.db, prefix, asOf)).map((d) =>
      finding('DUPLICATE_PAYMENT', 'HIGH', d.villageCode,
        `农户 ${d.householdId} 同一期间收益被支付两次: 方案 ${d.firstPlanId} ${d.firstOn} ${fmtYuan(d.firstFen)} 元, 方案 ${d.secondPlanId} ${d.secondOn} ${fmtYuan(d.secondFen)} 元`,
        [{ type: 'DistributionPlan', id: d.secondPlanId, label: `方案 ${d.secondPlanId}` }, { type: 'DistributionPlan', id: d.firstPlanId, label: `方案 ${d.firstPlanId}` }, { type: 'Household', id: d.householdId, label: `农户 ${d.householdId}` }],
        d.secondOn),
    );
  },
};

const timelineReversal: Check = {
  code: 'TIMELINE_REVERSAL',
  severity: 'MEDIUM',
  title: '时间倒置',
  async run({ svc, prefix, asOf }) {
    const out: Finding[] = [];
    for (const x of await contractsRepo.signedAfterStart(svc.db, prefix, asOf)) {
      out.push(finding('TIMELINE_REVERSAL', 'MEDIUM', x.contract.villageCode, `合同 ${x.contract.contractNo} 签订于 ${x.signedOn}, 晚于租期开始 ${x.startOn} (先用后签)`,
        [{ type: 'Contract', id: x.contract.id, label: x.contract.contractNo }], x.startOn));
    }
    for (const a of await assetsRepo.datesReversed(svc.db, prefix, asOf)) {
      const what = a.handedOverOn && a.acceptedOn && a.handedOverOn < a.acceptedOn ? `移交 ${a.handedOverOn} 早于验收 ${a.acceptedOn}` : `入账 ${a.bookedOn} 早于验收 ${a.acceptedOn}`;
      out.push(finding('TIMELINE_REVERSAL', 'MEDIUM', a.villageCode, `资产 ${a.code}「${a.name}」${what}`, [assetObj(a)], a.acceptedOn));
    }
    return out;
  },
};

const officialsLabel = (os: VillageOfficial[]) => os.map((o) => `${OFFICIAL_ROLE_NAMES[o.role]}${o.name}`).join('、');
const officialObjs = (os: VillageOfficial[]) => os.map((o) => ({ type: 'VillageOfficial', id: o.id, label: `${OFFICIAL_ROLE_NAMES[o.role]} ${o.name}` }));

/** Distribution lines whose payee someone chose: wages of public-welfare jobs, rewards and grants. */
const CHOSEN_PAYEE_LINES = ['PUBLIC_WELFARE_JOB', 'REWARD_GRANT'] as const;
const LINE_ZH: Record<string, string> = { PUBLIC_WELFARE_JOB: '公益性岗位工资', REWARD_GRANT: '奖励补助' };

/**
 * Disposals executed by the date with the disposal module's own flags (flagsOf: below appraisal, related buyer,
 * proceeds late are facts fixed at execution), for the disposal checks below.
 */
type ExecutedDisposal = { d: Disposal; flags: DisposalFlag[]; recipient: string | null };

/** Read once per run: four checks (related buyer, below appraisal, no notice, late proceeds) look at the same rows. */
const executedByRun = new WeakMap<CheckContext, Promise<ExecutedDisposal[]>>();
function executedDisposals(c: CheckContext): Promise<ExecutedDisposal[]> {
  let rows = executedByRun.get(c);
  if (!rows) executedByRun.set(c, (rows = readExecutedDisposals(c)));
  return rows;
}

async function readExecutedDisposals(c: CheckContext): Promise<ExecutedDisposal[]> {
  const rows: unknown[] = await disposalRepo.listQuery(c.svc.db, { regionPrefix: c.prefix, status: 'EXECUTED' }).where('executed_on', '<=', c.asOf).orderBy('id');
  const disposals = rows.map(disposalRepo.toDisposal);
  const parties = new Map((await partiesRepo.findByIds(c.svc.db, disposals.map((d) => d.recipientPartyId).filter((x): x is number => x !== null))).map((p) => [p.id, p]));
  const out = [];
  for (const d of disposals) {
    const recipient = d.recipientPartyId !== null ? parties.get(d.recipientPartyId) ?? null : null;
    out.push({ d, flags: await disposalFlagsOf(c.svc, d, recipient), recipient: recipient?.name ?? null });
  }
  return out;
}

const disposalObj = (d: Disposal) => ({ type: 'Disposal', id: d.id, label: `处置 #${d.id}` });

const relatedPartyPayee: Check = {
  code: 'RELATED_PARTY_PAYEE',
  severity: 'HIGH',
  title: '关联方收款 (优亲厚友)',
  async run(c) {
    const { svc, prefix, asOf } = c;
    const index = await relatedIndex(svc.db, prefix);
    const out: Finding[] = [];
    // 1. Wages and grants paid to an official's household while the official held office. Dividends are left
    //    out: they follow the plan's eligibility rule (脱贫户/监测对象, checked by the distribution module) and
    //    the village's vote and notice, and an eligible official's household is entitled like any other.
    for (const p of await distributionRepo.paymentsOnLineTypes(svc.db, prefix, asOf, CHOSEN_PAYEE_LINES)) {
      const os = relatedOn(index, { householdId: p.householdId }, p.paidOn).filter((o) => o.villageCode === p.villageCode);
      if (!os.length) continue;
      out.push(finding('RELATED_PARTY_PAYEE', 'MEDIUM', p.villageCode,
        `分配方案「${p.planTitle}」第 ${p.lineNo} 项${LINE_ZH[p.lineType]} ${fmtYuan(p.amountFen)} 元于 ${p.paidOn} 支付给村干部 ${officialsLabel(os)} 所在农户 (需核实是否优亲厚友)`,
        [{ type: 'DistributionPlan', id: p.planId, label: p.planTitle }, { type: 'Household', id: p.householdId, label: `农户 ${p.householdId}` }, ...officialObjs(os)], p.paidOn));
    }
    // 2. Contracts signed with an official's own party or household's party while the official held office.
    const contracts = (await contractsRepo.listQuery(svc.db, { regionPrefix: prefix }, asOf).where('contracts.signed_on', '<=', asOf).orderBy('contracts.id')).map(toContract) as Contract[];
    for (const k of contracts) {
      const os = relatedOn(index, { partyId: k.operatorPartyId }, k.signedOn).filter((o) => o.villageCode === k.villageCode);
      if (!os.length) continue;
      out.push(finding('RELATED_PARTY_PAYEE', 'HIGH', k.villageCode,
        `合同 ${k.contractNo} (${k.signedOn} 签订) 的经营方/承租方是村干部 ${officialsLabel(os)} 本人或其家庭`,
        [{ type: 'Contract', id: k.id, label: k.contractNo }, { type: 'Party', id: k.operatorPartyId, label: `主体 ${k.operatorPartyId}` }, ...officialObjs(os)], k.signedOn));
    }
    // 3. Disposal buyers: the disposal module's own RELATED_BUYER flag (judged on the officials register).
    for (const { d, flags, recipient } of await executedDisposals(c)) {
      if (!flags.includes('RELATED_BUYER')) continue;
      const os = relatedOn(index, { partyId: d.recipientPartyId }, d.executedOn!);
      out.push(finding('RELATED_PARTY_PAYEE', 'HIGH', d.villageCode,
        `处置 #${d.id} (${d.executedOn}) 受让方「${recipient ?? ''}」与村干部${os.length ? ` ${officialsLabel(os)} ` : ''}存在关联 (本人或同户)`,
        [disposalObj(d), ...officialObjs(os)], d.executedOn));
    }
    return out;
  },
};

const disposalBelowAppraisal: Check = {
  code: 'DISPOSAL_BELOW_APPRAISAL',
  severity: 'MEDIUM',
  title: '低于评估价处置',
  async run(c) {
    return (await executedDisposals(c)).filter((x) => x.flags.includes('BELOW_APPRAISAL_WITH_EXCEPTION')).map(({ d }) =>
      finding('DISPOSAL_BELOW_APPRAISAL', 'MEDIUM', d.villageCode,
        `处置 #${d.id} 成交价 ${fmtYuan(d.priceFen!)} 元低于评估价 ${fmtYuan(d.appraisedValueFen!)} 元 (差 ${fmtYuan(d.appraisedValueFen! - d.priceFen!)} 元), 经例外审批${d.exceptionReason ? `: ${d.exceptionReason}` : ''}`,
        [disposalObj(d), { type: 'Asset', id: d.assetId, label: `资产 ${d.assetId}` }], d.executedOn));
  },
};

const disposalWithoutNotice: Check = {
  code: 'DISPOSAL_WITHOUT_NOTICE',
  severity: 'HIGH',
  title: '处置未公示',
  async run(c) {
    const executed = await executedDisposals(c);
    const notices = await disposalRepo.noticesOf(c.svc.db, executed.map((x) => x.d.id));
    const out: Finding[] = [];
    for (const { d } of executed) {
      const mine = notices.filter((n) => n.disposalId === d.id);
      // The disposal module executes only after its notice ended; legacy or imported rows may not have one.
      const ended = mine.filter((n) => n.endOn < d.executedOn!);
      if (ended.length) continue;
      out.push(finding('DISPOSAL_WITHOUT_NOTICE', 'HIGH', d.villageCode,
        mine.length ? `处置 #${d.id} 于 ${d.executedOn} 执行, 公示期至 ${mine[0].endOn} 尚未结束` : `处置 #${d.id} 于 ${d.executedOn} 执行, 无处置公示`,
        [disposalObj(d)], d.executedOn));
    }
    return out;
  },
};

const disposalProceedsLate: Check = {
  code: 'DISPOSAL_PROCEEDS_LATE',
  severity: 'MEDIUM',
  title: '处置收入未及时入账',
  async run(c) {
    return (await executedDisposals(c)).filter((x) => x.flags.includes('PROCEEDS_LATE')).map(({ d }) =>
      finding('DISPOSAL_PROCEEDS_LATE', 'MEDIUM', d.villageCode,
        `处置 #${d.id} 于 ${d.executedOn} 成交, 价款 ${fmtYuan(d.priceFen ?? 0)} 元至 ${d.proceedsReceivedOn} 才收讫入账, 超过本县期限`,
        [disposalObj(d)], d.executedOn));
  },
};

const ventureProfitNotSplit: Check = {
  code: 'VENTURE_PROFIT_NOT_SPLIT',
  severity: 'HIGH',
  title: '联营收益未分配',
  async run({ svc, prefix, asOf }) {
    const rows: unknown[] = await bundlesRepo.listQuery(svc.db, { regionPrefix: prefix }).orderBy('bundles.id');
    const bundles = rows.map(bundlesRepo.toBundle);
    const ids = bundles.map((b) => b.id);
    const [profits, splits] = await Promise.all([bundlesRepo.profitsOf(svc.db, ids), bundlesRepo.splitsOf(svc.db, ids)]);
    const out: Finding[] = [];
    for (const b of bundles) {
      const policy = await policyFor(svc.db, b.regionCode);
      for (const p of profits.filter((x) => x.bundleId === b.id && x.declaredOn <= asOf && x.profitFen > 0)) {
        const split = splits.filter((s) => s.profitId === p.id && s.splitOn <= asOf).reduce((t, s) => t + s.amountFen, 0);
        if (split >= p.profitFen || addMonths(p.declaredOn, policy.idleFundsMonths) >= asOf) continue;
        out.push(finding('VENTURE_PROFIT_NOT_SPLIT', 'HIGH', b.regionCode,
          `联营体「${b.name}」${p.year} 年度收益 ${fmtYuan(p.profitFen)} 元 (${p.declaredOn} 申报), 已分配 ${fmtYuan(split)} 元, ${fmtYuan(p.profitFen - split)} 元超过 ${policy.idleFundsMonths} 个月未分配给成员村`,
          [{ type: 'Bundle', id: b.id, label: b.name }], p.declaredOn));
      }
    }
    return out;
  },
};

/** Months a flagged asset may wait for its case (一资产一方案). An assumption: no source gives a figure. */
export const CASE_DUE_MONTHS = 3;

const idleWithoutCase: Check = {
  code: 'IDLE_WITHOUT_CASE',
  severity: 'MEDIUM',
  title: '闲置低效资产未制定盘活方案',
  async run({ svc, prefix, asOf }) {
    const flags = await revitalisationRepo.flagsUnder(svc.db, prefix, asOf);
    const latest = new Map<number, (typeof flags)[number]>();
    for (const f of flags) latest.set(f.assetId, f); // ordered by date: the last one wins
    const assetIds = [...latest.keys()];
    const [cases, statuses, assets] = await Promise.all([
      revitalisationRepo.casesOfAssets(svc.db, assetIds),
      assetsRepo.statusesOn(svc.db, assetIds, asOf),
      assetsRepo.findByIds(svc.db, assetIds),
    ]);
    const byId = new Map(assets.map((a) => [a.id, a]));
    const out: Finding[] = [];
    for (const f of latest.values()) {
      if (addMonths(f.raisedOn, CASE_DUE_MONTHS) >= asOf) continue;
      if (['DISPOSED', 'DISPOSAL_PENDING'].includes(statuses.get(f.assetId) ?? '')) continue;
      const covered = cases.some((k) => k.assetId === f.assetId && k.openedOn <= asOf && (k.endedOn === null || k.endedOn >= f.raisedOn));
      if (covered) continue;
      const a = byId.get(f.assetId)!;
      out.push(finding('IDLE_WITHOUT_CASE', 'MEDIUM', f.villageCode,
        `资产 ${a.code}「${a.name}」${f.raisedOn} 被认定为${f.kind === 'IDLE' ? '闲置' : '低效'}, 截至 ${asOf} 超过 ${CASE_DUE_MONTHS} 个月未制定盘活方案 (一资产一方案)`,
        [assetObj(a)], f.raisedOn));
    }
    return out;
  },
};

const caseOverdue: Check = {
  code: 'REVITALISATION_CASE_OVERDUE',
  severity: 'MEDIUM',
  title: '盘活逾期',
  async run({ svc, prefix, asOf }) {
    const cases = await revitalisationRepo.casesUnder(svc.db, prefix, asOf);
    return cases
      // The revitalisation module's own rule (open and past the deadline), judged on the as-of date.
      .filter((k) => isOverdue({ status: k.endedOn === null || k.endedOn > asOf ? 'OPEN' : k.status, deadlineOn: k.deadlineOn }, asOf))
      .map((k) => finding('REVITALISATION_CASE_OVERDUE', 'MEDIUM', k.villageCode,
        `盘活方案 #${k.id} (责任单位 ${k.responsibleUnit}, 责任人 ${k.responsiblePerson}) 期限 ${k.deadlineOn} 已过, 截至 ${asOf} 未销号`,
        [{ type: 'RevitalisationCase', id: k.id, label: `盘活方案 #${k.id}` }, { type: 'Asset', id: k.assetId, label: `资产 ${k.assetId}` }], k.deadlineOn));
  },
};

/** Every check, in the order the findings list shows them. Add new checks here (see the file comment). */
export const CHECKS: Check[] = [
  projectNotMatched,
  registeredNotBooked,
  handedOverUnconfirmed,
  leaseWithoutContract,
  contractExpired,
  contractOverlong,
  operatingWithoutIncome,
  publicWelfareWithoutUpkeep,
  fundsIdle,
  resultsNoticeMissing,
  duplicatePayment,
  timelineReversal,
  relatedPartyPayee,
  disposalBelowAppraisal,
  disposalWithoutNotice,
  disposalProceedsLate,
  ventureProfitNotSplit,
  idleWithoutCase,
  caseOverdue,
];

/** Checks the issue asks for that need data the ledger does not hold yet (docs/reports.md says why). */
export const NOT_YET_CHECKED = [
  { code: 'CONTRACT_WITHOUT_PLATFORM_DEAL', title: '合同未进平台交易', reason: 'no exchange-platform deal is recorded' },
];

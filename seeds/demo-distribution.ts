/**
 * Demo income distributions (收益分配), each step done by the demo user whose job it is:
 *  - 亮垭村 distributes its 2024 kiwi-park income through the whole procedure (closed, results published);
 *  - 茶坪村 (云顶镇) has its 2024 plan under notice, awaiting the township's review (demo-reviewer-yunding);
 *  - 石桥村 has a draft that carries flags (an equal per-head cash split, too much in dividends).
 * Dates of the closed plan are fixed in early 2025; the pending one is dated relative to today, so that it
 * is always "awaiting review" when the demo starts.
 */
import type { ServiceContext } from '../src/shared/context';
import { addDays } from '../src/shared/dates';
import type { Actor } from '../src/modules/auth/auth.types';
import * as dist from '../src/modules/distribution/distribution.service';
import * as distRepo from '../src/modules/distribution/distribution.repository';
import { availableFen } from '../src/modules/distribution/distribution.ledger';
import { collectiveOf } from '../src/modules/parties/parties.service';
import * as householdsRepo from '../src/modules/households/households.repository';
import type { Household } from '../src/modules/households/households.types';
import { V } from './demo-data';

const MEETINGS = ['PARTY_BRANCH_PROPOSAL', 'TWO_COMMITTEES', 'PARTY_MEMBERS', 'REPRESENTATIVES'] as const;
const MEMBERS: Record<(typeof MEETINGS)[number], [number, number, number]> = {
  PARTY_BRANCH_PROPOSAL: [5, 5, 5],
  TWO_COMMITTEES: [9, 9, 8],
  PARTY_MEMBERS: [32, 27, 25],
  REPRESENTATIVES: [41, 35, 31],
};

/** A year's attendance sheet: the days worked spread over the twelve months, one row a month. */
function monthlyAttendance(year: number, days: number) {
  return Array.from({ length: 12 }, (_, m) => {
    const month = String(m + 1).padStart(2, '0');
    const last = new Date(Date.UTC(year, m + 1, 0)).getUTCDate();
    return { fromOn: `${year}-${month}-01`, toOn: `${year}-${month}-${last}`, days: Math.floor(days / 12) + (m < days % 12 ? 1 : 0), note: `考勤表${year}-${month}` };
  });
}

async function villageHouseholds(svc: ServiceContext, villageCode: string): Promise<Household[]> {
  const rows = await householdsRepo.listQuery(svc.db, { regionPrefix: villageCode }).orderBy('id');
  return rows.map(householdsRepo.toHousehold);
}

async function deliberate(as: ServiceContext, planId: number, firstOn: string) {
  for (const [i, step] of MEETINGS.entries()) {
    const [memberCount, attendance, votesFor] = MEMBERS[step];
    await dist.recordMeeting(as, {
      planId,
      step,
      heldOn: addDays(firstOn, i * 2),
      memberCount,
      attendance,
      votesFor,
      votesAgainst: attendance - votesFor,
      abstentions: 0,
      minutesRef: `会议记录〔${firstOn.slice(0, 4)}〕${i + 1}号`,
    });
  }
}

export async function seedDistributionDemo(svc: ServiceContext, actors: Record<string, Actor>): Promise<void> {
  const as = (key: string): ServiceContext => ({ ...svc, actor: actors[key] });

  // 1. 亮垭村: the 2024 kiwi-park income, from draft to results notice.
  {
    const clerk = as('LIANGYA_CLERK');
    const hs = await villageHouseholds(svc, V.liangya);
    const eligible = hs.filter((h) => h.status !== 'ORDINARY');
    const jobs = hs.filter((h) => h.status === 'ORDINARY').slice(0, 3);
    const plan = await dist.createPlan(clerk, {
      villageCode: V.liangya,
      title: '亮垭村2024年度红心猕猴桃产业园收益分配方案',
      periodFrom: '2024-01-01',
      periodTo: '2024-12-31',
      planOn: '2025-01-08',
      // By default the plan takes the period's receipts: the 2024 income only. The 2023 rent still waiting
      // is what the 资金滞留 flag is for.
      lines: [
        {
          type: 'PUBLIC_WELFARE_JOB',
          basis: 'PERCENT',
          percentBp: 1500,
          description: '园区护林、道路保洁公益性岗位工资（按出勤工日）',
          recipients: jobs.map((h, i) => ({ householdId: h.id, attendance: monthlyAttendance(2024, [220, 186, 152][i]) })),
        },
        { type: 'PUBLIC_WORKS', basis: 'PERCENT', percentBp: 1000, description: '村组道路及灌溉渠维修' },
        {
          type: 'HOUSEHOLD_DIVIDEND',
          basis: 'PERCENT',
          percentBp: 3000,
          description: '脱贫户、监测对象按人口分红（监测对象1.5倍）',
          recipients: eligible.map((h) => ({ householdId: h.id })),
        },
        { type: 'UPKEEP_RESERVE', basis: 'PERCENT', percentBp: 1000, description: '猕猴桃园管护资金' },
        { type: 'COLLECTIVE_RETENTION', basis: 'REMAINDER', description: '集体积累，用于发展壮大村集体经济' },
      ],
    });
    await deliberate(clerk, plan.id, '2025-01-10');
    await dist.publishPlanNotice(clerk, { planId: plan.id, startOn: '2025-01-18' });
    await dist.recordObjection(clerk, { planId: plan.id, raisedOn: '2025-01-20', raisedBy: '村民代表', content: '询问公益性岗位工日计算方法' });
    const [objection] = await distRepo.objectionsOf(svc.db, [plan.id]);
    await dist.resolveObjection(clerk, { objectionId: objection.id, resolvedOn: '2025-01-22', resolution: '已公开考勤记录，当事人无异议' });
    await dist.approvePlan(as('PUAN_REVIEWER'), { planId: plan.id, reviewedOn: '2025-01-24', opinion: '程序完备，同意执行' });
    await dist.executePlan(clerk, { planId: plan.id, executedOn: '2025-02-05', idempotencyKey: `demo-exec-${plan.id}` });
    const recipients = [...new Set((await distRepo.recipientsOf(svc.db, [plan.id])).map((r) => r.householdId))];
    for (const [i, householdId] of recipients.entries()) {
      await dist.recordPayment(clerk, {
        planId: plan.id,
        householdId,
        paidOn: '2025-02-10',
        bankReference: `JGNCXYS20250210${String(i + 1).padStart(4, '0')}`,
        idempotencyKey: `demo-pay-${plan.id}-${householdId}`,
      });
    }
    await dist.publishResults(clerk, { planId: plan.id, startOn: '2025-02-12' });
  }

  // 2. 茶坪村: resolved and under notice; the township (demo-reviewer-yunding) has yet to review it.
  {
    const clerk = as('VILLAGE_CLERK');
    const collective = await collectiveOf(svc.db, svc.clock, V.chaping);
    const available = await availableFen(svc, collective.id);
    if (available > 0) {
      const hs = (await villageHouseholds(svc, V.chaping)).filter((h) => h.status !== 'ORDINARY');
      const today = svc.clock.today();
      const plan = await dist.createPlan(clerk, {
        villageCode: V.chaping,
        title: '茶坪村2024年度茶叶加工厂收益分配方案',
        periodFrom: '2024-01-01',
        periodTo: '2024-12-31',
        planOn: addDays(today, -30),
        lines: [
          { type: 'HOUSEHOLD_DIVIDEND', basis: 'PERCENT', percentBp: 2500, description: '脱贫户、监测对象分红', recipients: hs.map((h) => ({ householdId: h.id })) },
          { type: 'PUBLIC_WORKS', basis: 'PERCENT', percentBp: 1500, description: '产业路养护' },
          { type: 'UPKEEP_RESERVE', basis: 'PERCENT', percentBp: 1000, description: '加工厂设备管护' },
          { type: 'COLLECTIVE_RETENTION', basis: 'REMAINDER', description: '集体积累' },
        ],
      });
      await deliberate(clerk, plan.id, addDays(today, -28));
      await dist.publishPlanNotice(clerk, { planId: plan.id, startOn: addDays(today, -15) });
    }
  }

  // 3. 石桥村: a draft that the flags catch — cash split equally, most of the money handed out.
  {
    const collective = await collectiveOf(svc.db, svc.clock, V.shiqiao);
    const available = await availableFen(svc, collective.id);
    if (available > 0) {
      const hs = (await villageHouseholds(svc, V.shiqiao)).filter((h) => h.status !== 'ORDINARY');
      await dist.createPlan(svc, {
        villageCode: V.shiqiao,
        title: '石桥村2024年度茶园收益分配方案（草案）',
        periodFrom: '2024-01-01',
        periodTo: '2024-12-31',
        planOn: '2025-03-01',
        lines: [
          { type: 'HOUSEHOLD_DIVIDEND', basis: 'PERCENT', percentBp: 8000, description: '每户平均分配', recipients: hs.map((h) => ({ householdId: h.id, weight: 1 })) },
          { type: 'COLLECTIVE_RETENTION', basis: 'REMAINDER', description: '集体积累' },
        ],
      });
    }
  }
}

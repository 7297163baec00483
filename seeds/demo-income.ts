/**
 * Demo income (issue 4): receipts of the demo's operating assets in 2023, 2024 and early 2025, recorded
 * through incomeRecord's service, so each one is a journal entry split among the owners, an income record
 * and an asset event. The payer is the operator of the contract the money was paid under.
 *
 * What it is meant to show (with the demo's today in late 2026):
 * - 亮垭村's kiwi park: the guaranteed return (7% of 3 800 000) for 2023 and 2024, plus a 2024 profit share,
 *   all still awaiting distribution — the distribution demo distributes the 2024 income;
 * - incomeShortfalls(2024): the 云顶 tea plant, paid 150 000 against a 200 000 fixed return (below even
 *   its 192 000 guarantee), and 桃园村's homestays, whose tenant stopped paying before the lease ended;
 * - distributionFlags: 红岩村's PV income, waiting since December 2023 (资金滞留, FUNDS_IDLE).
 */
import type { ServiceContext } from '../src/shared/context';
import { addDays } from '../src/shared/dates';
import { listContracts } from '../src/modules/contracts/contracts.service';
import { recordIncome } from '../src/modules/income/income.service';
import { recordUpkeep } from '../src/modules/upkeep/upkeep.service';
import type { IncomeKind } from '../src/modules/income/income.types';

const yuan = (y: number) => Math.round(y * 100);

interface DemoIncome {
  asset: string;
  kind: IncomeKind;
  receivedOn: string;
  amountYuan: number;
  voucherNo: string;
  memo: string;
}

const KIWI = '亮垭村红心猕猴桃产业园（350亩）';
const TEA_PLANT = '云顶茶叶加工厂（厂房及生产线）';
const JINTAI = '金台村茶旅民宿（8间）';
const QINGGANG = '青岗村农家民宿（6间）';
const SHIQIAO = '石桥村生态茶园基地';
const TAOYUAN = '桃园村精品民宿（12间）';
const PV = '红岩村村级光伏电站（200kW）';

export const DEMO_INCOME: DemoIncome[] = [
  // 亮垭村: 剑阁县农业投资有限公司 pays the guaranteed return (保底收益) each December, and a profit share.
  { asset: KIWI, kind: 'RENT', receivedOn: '2023-12-28', amountYuan: 266_000, voucherNo: '剑阁亮垭收〔2023〕08号', memo: '2023年度委托经营保底收益（原值7%）' },
  { asset: KIWI, kind: 'RENT', receivedOn: '2024-12-26', amountYuan: 266_000, voucherNo: '剑阁亮垭收〔2024〕09号', memo: '2024年度委托经营保底收益（原值7%）' },
  { asset: KIWI, kind: 'DIVIDEND', receivedOn: '2024-12-30', amountYuan: 38_000, voucherNo: '剑阁亮垭收〔2024〕10号', memo: '2024年度按股分红' },
  // 茶坪村's tea plant: 200 000 a year fixed, 6% guaranteed; 2024 paid short.
  { asset: TEA_PLANT, kind: 'RENT', receivedOn: '2023-12-29', amountYuan: 200_000, voucherNo: '南江茶坪收〔2023〕015号', memo: '2023年度委托经营固定收益' },
  { asset: TEA_PLANT, kind: 'RENT', receivedOn: '2024-07-05', amountYuan: 100_000, voucherNo: '南江茶坪收〔2024〕011号', memo: '2024年上半年委托经营固定收益' },
  { asset: TEA_PLANT, kind: 'RENT', receivedOn: '2024-12-30', amountYuan: 50_000, voucherNo: '南江茶坪收〔2024〕019号', memo: '2024年下半年固定收益（部分，受茶叶价格下跌影响）' },
  // 金台村's homestays: 25 000 a quarter, paid at the start of each quarter.
  { asset: JINTAI, kind: 'RENT', receivedOn: '2024-01-05', amountYuan: 25_000, voucherNo: '南江金台收〔2024〕001号', memo: '2024年第一季度租金' },
  { asset: JINTAI, kind: 'RENT', receivedOn: '2024-04-08', amountYuan: 25_000, voucherNo: '南江金台收〔2024〕004号', memo: '2024年第二季度租金' },
  { asset: JINTAI, kind: 'RENT', receivedOn: '2024-07-05', amountYuan: 25_000, voucherNo: '南江金台收〔2024〕007号', memo: '2024年第三季度租金' },
  { asset: JINTAI, kind: 'RENT', receivedOn: '2024-10-08', amountYuan: 25_000, voucherNo: '南江金台收〔2024〕010号', memo: '2024年第四季度租金' },
  { asset: JINTAI, kind: 'RENT', receivedOn: '2025-01-06', amountYuan: 25_000, voucherNo: '南江金台收〔2025〕001号', memo: '2025年第一季度租金' },
  // 青岗村 runs its homestays itself: the profit of the year.
  { asset: QINGGANG, kind: 'OPERATING_PROFIT', receivedOn: '2024-12-31', amountYuan: 46_800, voucherNo: '南江青岗收〔2024〕006号', memo: '2024年度民宿自营收益' },
  // 石桥村's tea garden: the cooperative's yearly contracting fee.
  { asset: SHIQIAO, kind: 'RENT', receivedOn: '2024-09-01', amountYuan: 60_000, voucherNo: '南江石桥收〔2024〕004号', memo: '2024年度茶园承包费' },
  // 桃园村's homestays: 2023 paid in full; half of 2024, then the lease was terminated on 2024-11-30.
  { asset: TAOYUAN, kind: 'RENT', receivedOn: '2023-01-10', amountYuan: 90_000, voucherNo: '南江桃园收〔2023〕001号', memo: '2023年度租金' },
  { asset: TAOYUAN, kind: 'RENT', receivedOn: '2024-07-01', amountYuan: 45_000, voucherNo: '南江桃园收〔2024〕003号', memo: '2024年上半年租金（下半年欠缴）' },
  // 红岩村's PV station: electricity income net of the operator's fee, never distributed since.
  { asset: PV, kind: 'OPERATING_PROFIT', receivedOn: '2023-12-25', amountYuan: 72_000, voucherNo: '南江红岩收〔2023〕012号', memo: '2023年度光伏发电收益（已扣运维费）' },
  { asset: PV, kind: 'OPERATING_PROFIT', receivedOn: '2024-12-25', amountYuan: 68_500, voucherNo: '南江红岩收〔2024〕012号', memo: '2024年度光伏发电收益（已扣运维费）' },
];

/** The operator of the contract a receipt was paid under: in force that day, or the most recent one. */
async function operatorOn(svc: ServiceContext, assetId: number, date: string): Promise<number> {
  const contracts = (await listContracts(svc, { assetId }, { first: 100 })).nodes
    .filter((c) => c.startOn <= date)
    .sort((a, b) => (a.startOn < b.startOn ? -1 : 1));
  const c = contracts[contracts.length - 1];
  if (!c) throw new Error(`demo income: no contract of asset ${assetId} by ${date}`);
  return c.operatorPartyId;
}

/**
 * An upkeep cost paid once there is money to pay it: 茶坪村's road repair, straight out of its income awaiting
 * distribution (a UPKEEP_EXPENSE entry); the plan of the period it falls in nets it (costs before profit).
 */
async function seedUpkeepCosts(svc: ServiceContext, assetIdByName: Map<string, number>): Promise<void> {
  await recordUpkeep(svc, {
    assetId: assetIdByName.get('茶坪村产业路（4.5公里）')!,
    kind: 'REPAIR',
    doneOn: addDays(svc.clock.today(), -94),
    costFen: yuan(3_500),
    note: 'K2+300处边沟清淤及路面修补',
    paidFrom: 'INCOME_PENDING_DISTRIBUTION',
    idempotencyKey: 'demo-upkeep-road-repair',
  });
}

export async function seedIncomeDemo(svc: ServiceContext, assetIdByName: Map<string, number>): Promise<void> {
  for (const [i, d] of DEMO_INCOME.entries()) {
    const assetId = assetIdByName.get(d.asset);
    if (!assetId) throw new Error(`demo income: no asset ${d.asset}`);
    await recordIncome(svc, {
      assetId,
      kind: d.kind,
      receivedOn: d.receivedOn,
      payer: { partyId: await operatorOn(svc, assetId, d.receivedOn) },
      voucherNo: d.voucherNo,
      amountFen: yuan(d.amountYuan),
      memo: d.memo,
      idempotencyKey: `demo-income-${i + 1}`,
    });
  }
  await seedUpkeepCosts(svc, assetIdByName);
}

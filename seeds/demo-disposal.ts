/**
 * Demo of disposal (处置) and pledges (抵押/质押), issue 11 — through the services, as real use:
 * - 茶坪村连栋蔬菜大棚: destroyed by a flood, reported as a loss (报损); insurance compensation booked to its two
 *   owner's DISPOSAL_PROCEEDS, fully executed — the asset is DISPOSED.
 * - 茶坪村冷链仓储库: idle, to be auctioned (拍卖); appraised, approved by the village, the township and the
 *   county department, now awaiting county finance (an operating sale above 500 000 yuan).
 * - 云顶茶叶加工厂: mortgaged (抵押) to the county's rural credit cooperative for a working-capital loan,
 *   approved on its chain; the lease runs on, but nothing new may be leased, bundled or disposed of.
 * - 茶坪村's stake in the pooled tea venture (seeds/demo-bundles.ts): pledged (股权质押) to the same credit
 *   cooperative, approved; 茶坪村 cannot withdraw from the venture nor the venture be dissolved until released.
 * - Re-use of the greenhouse's insurance proceeds: 茶坪村 commits 150 000.00 of its 216 000.50 to rebuilding
 *   the greenhouses under the same assistance project (处置收入再利用); 66 000.50 remains.
 */
import type { Actor } from '../src/shared/actor';
import type { ServiceContext } from '../src/shared/context';
import { addDays } from '../src/shared/dates';
import { createProject } from '../src/modules/projects/projects.service';
import { registerAsset, transitionAsset } from '../src/modules/assets/assets.service';
import { confirmRights, handOverAsset } from '../src/modules/rights/rights.service';
import { registerParty } from '../src/modules/parties/parties.service';
import { decide } from '../src/modules/approvals/approvals.service';
import {
  appraiseDisposal,
  decideDisposal,
  executeDisposal,
  pledgeAsset,
  publishNotice,
  requestDisposal,
  reuseProceeds,
} from '../src/modules/disposal/disposal.service';
import { villageMemberships } from '../src/modules/bundles/bundles.service';
import { V } from './demo-data';
import { withCheck } from './demo-rights';

const yuan = (y: number) => Math.round(y * 100);

const meeting = (on: string) => ({ heldOn: on, memberCount: 31, attendance: 27, votesFor: 25 });

export async function seedDisposalDemo(svc: ServiceContext, actors: Record<string, Actor>, assetIdByName: Map<string, number>): Promise<void> {
  const as = (key: string): ServiceContext => ({ ...svc, actor: actors[key] });
  const clerk = as('VILLAGE_CLERK'); // 茶坪村
  const today = svc.clock.today();
  const day = (n: number) => addDays(today, -n);

  const insurer = await registerParty(svc, {
    kind: 'COMPANY',
    name: '中国人民财产保险股份有限公司南江支公司',
    regionCode: '511922000000',
    creditCode: withCheck('91511922MA6E2K8N4'),
  });
  const creditUnion = await registerParty(svc, {
    kind: 'COMPANY',
    name: '南江县农村信用合作联社',
    regionCode: '511922000000',
    creditCode: withCheck('91511922MA6F3M5P6'),
  });

  // --- The flood-damaged greenhouse (报损 with insurance), fully executed -----------------------------------
  const project = await createProject(svc, {
    name: '茶坪村蔬菜大棚产业项目',
    year: 2022,
    implementingUnit: '南江县农业农村局',
    regionCode: V.chaping,
    fundingLines: [
      { source: 'CENTRAL_TRANSITION', amountFen: yuan(300_000) },
      { source: 'EAST_WEST_COOPERATION', amountFen: yuan(80_000) },
    ],
  });
  const greenhouse = await registerAsset(svc, {
    projectId: project.id,
    name: '茶坪村连栋蔬菜大棚（3栋）',
    class: 'OPERATING',
    subType: 'INDUSTRY_BASE',
    quantity: 3,
    unit: '栋',
    villageCode: V.chaping,
    originalValueFen: yuan(380_000),
    fundingLines: [
      { source: 'CENTRAL_TRANSITION', amountFen: yuan(300_000) },
      { source: 'EAST_WEST_COOPERATION', amountFen: yuan(80_000) },
    ],
    completedOn: '2022-04-30',
    acceptedOn: '2022-05-20',
    bookedOn: '2022-06-01',
  });
  await confirmRights(svc, {
    assetId: greenhouse.id,
    owners: [{ villageCode: V.chaping, shareBp: 10000 }],
    rightsLevel: 'VILLAGE',
    certificateNo: '南江资确〔2022〕0150号',
    confirmedOn: '2022-05-25',
  });
  await handOverAsset(svc, {
    assetId: greenhouse.id,
    deedNo: '南江资移〔2022〕0150号',
    handedOverOn: '2022-05-28',
    transferor: '南江县农业农村局',
    recipientSignatory: '村股份经济合作社理事长',
    witness: '云顶镇人民政府',
  });
  const loss = await requestDisposal(clerk, {
    assetId: greenhouse.id,
    reason: 'DISASTER_DAMAGE',
    method: 'LOSS',
    requestedOn: day(100),
    description: '7月特大洪水冲毁大棚骨架及棚膜，经镇农业服务中心现场核查无修复价值，申请报损；保险公司已定损理赔',
  });
  await decideDisposal(clerk, { disposalId: loss.id, decision: 'APPROVE', decidedOn: day(95), reference: '茶坪村民代表会议纪要〔2026〕7号', meeting: meeting(day(95)) });
  await decideDisposal(as('TOWNSHIP_REVIEWER'), { disposalId: loss.id, decision: 'APPROVE', decidedOn: day(93), reference: '云顶镇财审〔2026〕21号' });
  await decideDisposal(as('COUNTY_PLANNER'), { disposalId: loss.id, decision: 'APPROVE', decidedOn: day(90), reference: '南江乡振〔2026〕45号' });
  await publishNotice(clerk, { disposalId: loss.id, startOn: day(88), content: '茶坪村连栋蔬菜大棚因洪灾损毁报损，保险赔款归茶坪村集体，用于巩固衔接项目' });
  await executeDisposal(clerk, {
    disposalId: loss.id,
    executedOn: day(75),
    priceFen: 0,
    insurance: { insurer: { partyId: insurer.id }, amountFen: yuan(216_000.5) },
    proceedsReceivedOn: day(70),
    idempotencyKey: 'demo-disposal-greenhouse-loss',
  });
  await reuseProceeds(clerk, {
    disposalId: loss.id,
    villageCode: V.chaping,
    projectId: project.id,
    amountFen: yuan(150_000),
    reusedOn: day(40),
    purpose: '灾后重建连栋蔬菜大棚（钢架及棚膜），经村民代表会议决定使用保险赔款',
    idempotencyKey: 'demo-disposal-greenhouse-reuse',
  });

  // --- The cold store to be auctioned, awaiting county finance ------------------------------------------------
  const coldProject = await createProject(svc, {
    name: '茶坪村冷链仓储建设项目',
    year: 2021,
    implementingUnit: '南江县商务局',
    regionCode: V.chaping,
    fundingLines: [{ source: 'CENTRAL_TRANSITION', amountFen: yuan(620_000) }],
  });
  const cold = await registerAsset(svc, {
    projectId: coldProject.id,
    name: '茶坪村冷链仓储库（500吨）',
    class: 'OPERATING',
    subType: 'PROCESSING_FACILITY',
    quantity: 500,
    unit: '吨',
    villageCode: V.chaping,
    originalValueFen: yuan(620_000),
    fundingLines: [{ source: 'CENTRAL_TRANSITION', amountFen: yuan(620_000) }],
    completedOn: '2021-09-30',
    acceptedOn: '2021-10-20',
    bookedOn: '2021-11-01',
  });
  await confirmRights(svc, {
    assetId: cold.id,
    owners: [{ villageCode: V.chaping, shareBp: 10000 }],
    rightsLevel: 'VILLAGE',
    certificateNo: '南江资确〔2021〕0220号',
    confirmedOn: '2021-10-25',
  });
  await handOverAsset(svc, {
    assetId: cold.id,
    deedNo: '南江资移〔2021〕0220号',
    handedOverOn: '2021-10-28',
    transferor: '南江县商务局',
    recipientSignatory: '村股份经济合作社理事长',
    witness: '云顶镇人民政府',
  });
  await transitionAsset(svc, 'MARK_IDLE', { assetId: cold.id, effectiveOn: '2024-06-30', reason: '冷库运营方退出，连续两年无经营收入' });
  const auction = await requestDisposal(clerk, {
    assetId: cold.id,
    reason: 'IDLE_NOT_REVIVABLE',
    method: 'AUCTION',
    requestedOn: day(60),
    description: '冷库闲置两年，两次招商未果，经村民代表会议同意拟进场公开拍卖',
  });
  await appraiseDisposal(clerk, {
    disposalId: auction.id,
    appraiser: '四川天元资产评估有限公司',
    appraisedOn: day(50),
    valueFen: yuan(560_000),
    reportNo: '川天元评报字〔2026〕第0312号',
  });
  await decideDisposal(clerk, { disposalId: auction.id, decision: 'APPROVE', decidedOn: day(45), reference: '茶坪村民代表会议纪要〔2026〕9号', meeting: meeting(day(45)) });
  await decideDisposal(as('TOWNSHIP_REVIEWER'), { disposalId: auction.id, decision: 'APPROVE', decidedOn: day(44), reference: '云顶镇财审〔2026〕33号' });
  await decideDisposal(as('COUNTY_PLANNER'), { disposalId: auction.id, decision: 'APPROVE', decidedOn: day(42), reference: '南江乡振〔2026〕61号' });

  // --- A mortgage of the tea factory (in operation under its contract) for a loan, approved --------------------------------------------------------
  const factory = assetIdByName.get('云顶茶叶加工厂（厂房及生产线）')!;
  const pledge = await pledgeAsset(clerk, {
    assetId: factory,
    kind: 'MORTGAGE',
    pledgee: { partyId: creditUnion.id },
    loanFen: yuan(800_000),
    loanPurpose: '茶叶加工生产线技改及收购鲜叶流动资金贷款',
    contractNo: '南江信联借〔2026〕0088号',
    pledgedOn: day(150),
    endOn: addDays(today, 900),
  });
  await decide(clerk, { chainId: pledge.chainId!, decision: 'APPROVE', decidedOn: day(148), reference: '茶坪村民代表会议纪要〔2026〕2号', meeting: meeting(day(148)) });
  await decide(as('TOWNSHIP_REVIEWER'), { chainId: pledge.chainId!, decision: 'APPROVE', decidedOn: day(146), reference: '云顶镇财审〔2026〕12号' });
  await decide(as('COUNTY_FINANCE'), { chainId: pledge.chainId!, decision: 'APPROVE', decidedOn: day(144), reference: '南江财农〔2026〕9号' });

  // --- A pledge of 茶坪村's stake in the pooled tea venture (股权质押), approved -------------------------------------
  const stake = (await villageMemberships(clerk, V.chaping)).find((m) => m.status === 'ACTIVE');
  if (stake) {
    const stakePledge = await pledgeAsset(clerk, {
      bundleMemberId: stake.id,
      kind: 'PLEDGE',
      pledgee: { partyId: creditUnion.id },
      loanFen: yuan(500_000),
      loanPurpose: '茶坪村茶园提质改造贷款，以村集体在联营公司的股权质押',
      contractNo: '南江信联借〔2026〕0131号',
      pledgedOn: day(30),
      endOn: addDays(today, 1095),
    });
    await decide(clerk, { chainId: stakePledge.chainId!, decision: 'APPROVE', decidedOn: day(28), reference: '茶坪村民代表会议纪要〔2026〕11号', meeting: meeting(day(28)) });
    await decide(as('TOWNSHIP_REVIEWER'), { chainId: stakePledge.chainId!, decision: 'APPROVE', decidedOn: day(27), reference: '云顶镇财审〔2026〕40号' });
    await decide(as('COUNTY_FINANCE'), { chainId: stakePledge.chainId!, decision: 'APPROVE', decidedOn: day(25), reference: '南江财农〔2026〕37号' });
  }
}

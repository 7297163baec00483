/**
 * Demo rights, upkeep and operation (issue 3): owners with certificates, handover deeds, operators and their
 * contracts, keepers and upkeep records, documents. Everything goes through the services, so the demo obeys
 * the rules and writes the events real use writes. Dates that must stay "recent" (one contract expiring
 * soon, recent inspections) are computed from the clock, so the demo keeps showing them.
 */
import type { ServiceContext } from '../src/shared/context';
import { addDays } from '../src/shared/dates';
import { transitionAsset } from '../src/modules/assets/assets.service';
import { listContracts, amendContract, signContract, terminateContract } from '../src/modules/contracts/contracts.service';
import type { OperationMode } from '../src/modules/contracts/contracts.types';
import { attachDocument } from '../src/modules/documents/documents.service';
import { listHouseholds } from '../src/modules/households/households.service';
import { creditCodeCheckChar } from '../src/modules/parties/creditCode';
import * as partiesRepo from '../src/modules/parties/parties.repository';
import { registerParty, PartyRef } from '../src/modules/parties/parties.service';
import type { PartyKind } from '../src/modules/parties/parties.types';
import { townshipCodeOf } from '../src/modules/regions/regions.codes';
import * as regionsRepo from '../src/modules/regions/regions.repository';
import { confirmRights, handOverAsset } from '../src/modules/rights/rights.service';
import type { RightsLevel } from '../src/modules/rights/rights.types';
import { assignUpkeep, recordUpkeep } from '../src/modules/upkeep/upkeep.service';
import type { UpkeepFundSource } from '../src/modules/upkeep/upkeep.types';
import { V } from './demo-data';

/** A lifecycle step of a demo asset; TERMINATE_CONTRACT ends its contract (the asset falls idle). */
export type DemoStep = 'CONFIRM_RIGHTS' | 'HAND_OVER' | 'START_OPERATION' | 'PUT_IN_USE' | 'MARK_IDLE' | 'REVITALISE' | 'TERMINATE_CONTRACT';

const yuan = (y: number) => Math.round(y * 100);

/** A valid credit code (GB 32100-2015) from its first 17 characters. */
export const withCheck = (first17: string) => first17 + creditCodeCheckChar(first17);

/** The operators of the demo, registered on first use. */
const OPERATORS = {
  jiangeAgri: { kind: 'COMPANY', name: '剑阁县农业投资有限公司', regionCode: '510823000000', creditCode: withCheck('91510823MA62XK3T5') },
  yundingAgri: { kind: 'COMPANY', name: '南江县云顶农业发展有限公司', regionCode: '511922000000', creditCode: withCheck('91511922MA6BQ8W21') },
  shiqiaoCoop: { kind: 'COOPERATIVE', name: '南江县石桥茶叶专业合作社', regionCode: V.shiqiao, creditCode: withCheck('93511922MA6C1P4R7') },
  pvService: { kind: 'COMPANY', name: '南江县惠民光伏运维有限公司', regionCode: '511922000000', creditCode: withCheck('91511922MA6D7H9L2') },
  taoyuanTenant: { kind: 'INDIVIDUAL', name: '罗建国', regionCode: V.taoyuan, creditCode: null },
} satisfies Record<string, { kind: PartyKind; name: string; regionCode: string; creditCode: string | null }>;
type OperatorKey = keyof typeof OPERATORS;

async function operator(svc: ServiceContext, key: OperatorKey): Promise<PartyRef> {
  const o = OPERATORS[key];
  const found = o.creditCode
    ? await partiesRepo.findByCreditCode(svc.db, o.creditCode)
    : await partiesRepo.findByKindRegionName(svc.db, o.kind, o.regionCode, o.name);
  return { partyId: (found ?? (await registerParty(svc, o))).id };
}

interface DemoContract {
  no: string;
  mode: OperationMode;
  operator: OperatorKey | 'owner';
  signedOn: string;
  /** Inclusive end, or a function of today for contracts that must stay "expiring soon". */
  endOn: string | ((today: string) => string);
  fee?: { kind: 'FIXED'; amountYuan: number; period: 'YEAR' | 'HALF_YEAR' | 'QUARTER' | 'MONTH' } | { kind: 'PERCENT_OF_VALUE'; rateBp: number; period: 'YEAR' };
  guaranteedRateBp?: number;
  depositYuan?: number;
  note?: string;
  decisions?: { kind: 'VILLAGE_RESOLUTION' | 'TOWNSHIP_FILING'; reference: string; decidedOn: string; villageCode?: string }[];
}

interface DemoRights {
  level?: RightsLevel;
  /** Default: the asset's village collective, 100%. */
  owners?: { villageCode: string; shareBp: number }[];
  /** Household assets: the first n households of the asset's village, equal shares. */
  householdOwners?: number;
  contract?: DemoContract;
  terminate?: string;
}

/** Rights and contracts of the demo assets, by asset name (seeds/demo.ts lists the assets). */
const DEMO_RIGHTS: Record<string, DemoRights> = {
  '云顶茶叶加工厂（厂房及生产线）': {
    contract: {
      no: '南江云顶委〔2022〕01号',
      mode: 'ENTRUSTED',
      operator: 'yundingAgri',
      signedOn: '2022-02-20',
      endOn: '2032-02-29',
      fee: { kind: 'FIXED', amountYuan: 200_000, period: 'YEAR' },
      guaranteedRateBp: 600,
      depositYuan: 50_000,
      note: '委托经营，年固定收益20万元，保底收益率6%',
      decisions: [
        { kind: 'VILLAGE_RESOLUTION', reference: '茶坪村村民代表会议决议〔2022〕1号', decidedOn: '2022-01-25', villageCode: V.chaping },
        { kind: 'TOWNSHIP_FILING', reference: '云顶镇备〔2022〕3号', decidedOn: '2022-02-10' },
      ],
    },
  },
  石桥村生态茶园基地: {
    contract: {
      no: '南江石桥承〔2021〕01号',
      mode: 'CONTRACTING',
      operator: 'shiqiaoCoop',
      signedOn: '2021-08-28',
      endOn: '2051-08-31', // 30 years: shows up as an overlong contract
      fee: { kind: 'FIXED', amountYuan: 60_000, period: 'YEAR' },
      depositYuan: 10_000,
      note: '茶园整体承包30年',
    },
  },
  '金台村茶旅民宿（8间）': {
    contract: {
      no: '南江金台租〔2022〕01号',
      mode: 'LEASE',
      operator: 'yundingAgri',
      signedOn: '2022-03-20',
      endOn: (today) => addDays(today, 45), // expires soon: renew or re-let
      fee: { kind: 'FIXED', amountYuan: 25_000, period: 'QUARTER' },
      depositYuan: 20_000,
    },
  },
  云顶社区游客服务中心: {
    // Built for three villages: confirmed jointly by share (联建按比例确权).
    owners: [
      { villageCode: V.yundingCommunity, shareBp: 5000 },
      { villageCode: V.jintai, shareBp: 2500 },
      { villageCode: V.taoyuan, shareBp: 2500 },
    ],
  },
  '桃园村精品民宿（12间）': {
    contract: {
      no: '南江桃园租〔2022〕02号',
      mode: 'LEASE',
      operator: 'taoyuanTenant',
      signedOn: '2022-12-20',
      endOn: '2027-12-31',
      fee: { kind: 'FIXED', amountYuan: 90_000, period: 'YEAR' },
      depositYuan: 30_000,
    },
    terminate: '承租方经营不善，协商解除租赁合同',
  },
  '青岗村农家民宿（6间）': {
    contract: { no: '南江青岗自〔2023〕01号', mode: 'SELF_OPERATED', operator: 'owner', signedOn: '2023-03-20', endOn: '2028-03-31', note: '村集体自营' },
  },
  '能繁母牛（到户，20户）': { level: 'HOUSEHOLD', householdOwners: 20 },
  '红岩村村级光伏电站（200kW）': {
    contract: {
      no: '南江红岩委〔2019〕01号',
      mode: 'ENTRUSTED',
      operator: 'pvService',
      signedOn: '2019-07-30',
      endOn: '2039-07-31',
      note: '委托运维，电费收入归村集体，运维费由电费收入列支',
    },
  },
  '亮垭村红心猕猴桃产业园（350亩）': {
    contract: {
      no: '剑阁普安委〔2020〕01号',
      mode: 'ENTRUSTED',
      operator: 'jiangeAgri',
      signedOn: '2020-02-20',
      endOn: '2029-12-31',
      guaranteedRateBp: 600,
      note: '委托县农投公司经营，保底收益+按股分红',
    },
  },
};

const COUNTY_SHORT: Record<string, string> = { '511922': '南江', '510823': '剑阁' };

export interface DemoAssetRef {
  id: number;
  name: string;
  villageCode: string;
  /** The implementing unit of the project: it hands the asset over. */
  transferor: string;
}

async function ownersOf(svc: ServiceContext, asset: DemoAssetRef, spec: DemoRights) {
  if (spec.householdOwners) {
    const page = await listHouseholds(svc, { regionCode: asset.villageCode }, { first: spec.householdOwners });
    const share = 10_000 / spec.householdOwners;
    return page.nodes.map((h) => ({ householdId: h.id, shareBp: share }));
  }
  return spec.owners ?? [{ villageCode: asset.villageCode, shareBp: 10_000 }];
}

/** Runs one demo lifecycle step through the service that owns it. */
export async function runDemoStep(svc: ServiceContext, asset: DemoAssetRef, step: DemoStep, on: string): Promise<void> {
  const spec = DEMO_RIGHTS[asset.name] ?? {};
  const short = COUNTY_SHORT[asset.villageCode.slice(0, 6)] ?? '';
  const seq = String(asset.id).padStart(4, '0');
  switch (step) {
    case 'CONFIRM_RIGHTS':
      await confirmRights(svc, {
        assetId: asset.id,
        owners: await ownersOf(svc, asset, spec),
        rightsLevel: spec.level ?? 'VILLAGE',
        certificateNo: `${short}资确〔${on.slice(0, 4)}〕${seq}号`,
        confirmedOn: on,
      });
      return;
    case 'HAND_OVER': {
      const township = await regionsRepo.findByCode(svc.db, townshipCodeOf(asset.villageCode));
      await handOverAsset(svc, {
        assetId: asset.id,
        deedNo: `${short}资移〔${on.slice(0, 4)}〕${seq}号`,
        handedOverOn: on,
        transferor: asset.transferor,
        recipientSignatory: '村股份经济合作社理事长',
        witness: `${township!.name}人民政府`,
      });
      return;
    }
    case 'START_OPERATION': {
      const c = spec.contract;
      if (!c) throw new Error(`demo: ${asset.name} starts operation without a contract`);
      await signContract(svc, {
        assetId: asset.id,
        contractNo: c.no,
        mode: c.mode,
        operator: c.operator === 'owner' ? { villageCode: asset.villageCode } : await operator(svc, c.operator),
        signedOn: c.signedOn,
        startOn: on,
        endOn: typeof c.endOn === 'function' ? c.endOn(svc.clock.today()) : c.endOn,
        fee: !c.fee
          ? { kind: 'NONE' }
          : c.fee.kind === 'FIXED'
            ? { kind: 'FIXED', amountFen: yuan(c.fee.amountYuan), period: c.fee.period }
            : { kind: 'PERCENT_OF_VALUE', rateBp: c.fee.rateBp, period: c.fee.period },
        guaranteedRateBp: c.guaranteedRateBp ?? null,
        depositFen: c.depositYuan ? yuan(c.depositYuan) : null,
        decisions: c.decisions ?? [],
        note: c.note ?? null,
      });
      return;
    }
    case 'TERMINATE_CONTRACT': {
      const open = await listContracts(svc, { assetId: asset.id, state: 'ACTIVE' }, { first: 1 });
      await terminateContract(svc, { contractId: open.nodes[0].id, terminatedOn: on, reason: spec.terminate ?? '协商解除' });
      return;
    }
    default:
      await transitionAsset(svc, step, { assetId: asset.id, effectiveOn: on, reason: '演示数据 demo' });
  }
}

interface DemoKeeper {
  villageCode?: string;
  operator?: OperatorKey;
  personName: string;
  personRole: string;
  fundSource: UpkeepFundSource;
  from: string;
}

/**
 * Keepers for the public-welfare assets — except 青岗村集中供水工程, left without one so that the
 * upkeep-warning query has something to show — and for the PV station, kept by its operator.
 */
const KEEPERS: Record<string, DemoKeeper> = {
  '茶坪村产业路（4.5公里）': {
    villageCode: V.chaping,
    personName: '陈有才',
    personRole: '公益性岗位 护路员',
    fundSource: 'VILLAGE_OPERATING_FUNDS',
    from: '2020-12-10',
  },
  松林村卫生室: { villageCode: V.songlin, personName: '何秀英', personRole: '村医', fundSource: 'FISCAL_UPKEEP_FUNDS', from: '2020-09-10' },
  '红岩村村级光伏电站（200kW）': { operator: 'pvService', personName: '赵国平', personRole: '运维工程师', fundSource: 'OPERATOR', from: '2019-08-01' },
};

/** A small text file standing in for a scanned document. */
function demoFile(name: string, text: string) {
  const bytes = Buffer.from(text, 'utf8');
  return {
    name,
    type: 'text/plain',
    size: bytes.length,
    arrayBuffer: async () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer,
  };
}

/** The rest of issue 3's demo, after every asset went through its steps: keepers, records, amendment, documents. */
export async function seedRightsDemo(svc: ServiceContext, assetIdByName: Map<string, number>): Promise<void> {
  const today = svc.clock.today();
  for (const [name, k] of Object.entries(KEEPERS)) {
    await assignUpkeep(svc, {
      assetId: assetIdByName.get(name)!,
      body: k.operator ? await operator(svc, k.operator) : { villageCode: k.villageCode },
      personName: k.personName,
      personRole: k.personRole,
      fundSource: k.fundSource,
      effectiveFrom: k.from,
    });
  }
  const road = assetIdByName.get('茶坪村产业路（4.5公里）')!;
  await recordUpkeep(svc, { assetId: road, kind: 'INSPECTION', doneOn: addDays(today, -38), costFen: 0, note: '雨季后巡查，路面完好' });
  const clinic = assetIdByName.get('松林村卫生室')!;
  await recordUpkeep(svc, { assetId: clinic, kind: 'MAINTENANCE', doneOn: addDays(today, -60), costFen: 0, note: '更换诊室照明及门锁（费用由乡镇卫生院承担）' });

  // The kiwi park's second-round agreement raised the guaranteed return: a new version, the first one kept.
  const kiwi = assetIdByName.get('亮垭村红心猕猴桃产业园（350亩）')!;
  const kiwiContract = (await listContracts(svc, { assetId: kiwi }, { first: 1 })).nodes[0];
  await amendContract(svc, {
    contractId: kiwiContract.id,
    signedOn: '2022-12-20',
    effectiveFrom: '2023-01-01',
    guaranteedRateBp: 700,
    reason: '第二轮补充协议：保底收益率由6%调整为7%',
  });
  const limits = { uploadMaxBytes: 10 * 1024 * 1024 };
  await attachDocument(
    svc,
    { assetId: kiwi, kind: 'HANDOVER_DEED', title: '亮垭村红心猕猴桃产业园资产移交书', documentOn: '2019-12-30' },
    demoFile('移交书.txt', '剑阁县帮扶项目资产移交书（演示）\n移交方：剑阁县农业农村局\n接收方：亮垭村股份经济合作社\n见证方：普安镇人民政府\n'),
    limits,
  );
  await attachDocument(
    svc,
    { assetId: kiwi, kind: 'CONTRACT', title: '猕猴桃产业园委托经营合同', documentOn: '2020-02-20', contractId: kiwiContract.id },
    demoFile('委托经营合同.txt', '委托经营合同（演示）\n委托方：亮垭村股份经济合作社\n受托方：剑阁县农业投资有限公司\n保底收益率：6%\n'),
    limits,
  );
}

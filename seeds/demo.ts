/**
 * The demo county: loaded by `npm start` on an empty database and by `npm run seed`. Everything goes through
 * the services, so the demo obeys the same rules (and writes the same events) as real use.
 */
import type { Db, Executor } from '../src/db/connection';
import type { Clock } from '../src/shared/clock';
import type { ServiceContext } from '../src/shared/context';
import { createUserWithToken, toActor } from '../src/modules/auth/auth.service';
import type { Role } from '../src/modules/auth/auth.types';
import { insertRegions } from '../src/modules/regions/regions.repository';
import { parentCodeOf } from '../src/modules/regions/regions.codes';
import { registerHousehold } from '../src/modules/households/households.service';
import { residentIdCheckChar } from '../src/modules/households/residentId';
import { createProject } from '../src/modules/projects/projects.service';
import { registerAsset } from '../src/modules/assets/assets.service';
import type { FundSource } from '../src/modules/projects/projects.types';
import type { AssetClass, AssetSubType } from '../src/modules/assets/assets.types';
import { DEMO_USERS, GIVEN, REGIONS, SURNAMES, V, YUNDING } from './demo-data';
import { DemoStep, runDemoStep, seedRightsDemo } from './demo-rights';
import { seedIncomeDemo } from './demo-income';
import { seedDistributionDemo } from './demo-distribution';
import { seedBundlesDemo } from './demo-bundles';
import { seedRevitalisationDemo } from './demo-revitalisation';
import { seedDisposalDemo } from './demo-disposal';
import { seedOfficialsDemo } from './demo-officials';

export const DEMO_TOKENS = Object.fromEntries(DEMO_USERS.map((u) => [u.key, u.token])) as Record<
  (typeof DEMO_USERS)[number]['key'],
  string
>;

const yuan = (y: number) => Math.round(y * 100);

export async function isEmpty(db: Executor): Promise<boolean> {
  const r = await db('regions').count({ n: '*' }).first();
  return Number(r?.n ?? 0) === 0;
}

export async function loadDemoIfEmpty(db: Db, clock: Clock): Promise<boolean> {
  if (!(await isEmpty(db))) return false;
  await loadDemo(db, clock);
  return true;
}

/** Loads the whole demo in one transaction: a half-loaded demo never exists. */
export async function loadDemo(db: Db, clock: Clock): Promise<void> {
  await db.transaction(async (trx) => {
    await insertRegions(
      trx,
      REGIONS.map((r) => ({ ...r, parentCode: parentCodeOf(r.code) })),
    );
    const users: Record<string, number> = {};
    for (const u of DEMO_USERS) {
      const { userId } = await createUserWithToken(
        trx,
        { name: u.name, role: u.role as Role, regionCode: u.regionCode, token: u.token, label: 'demo' },
        clock.now(),
      );
      users[u.key] = userId;
    }
    const admin = DEMO_USERS.find((u) => u.key === 'ADMIN')!;
    const svc: ServiceContext = {
      db: trx,
      clock,
      actor: toActor({ id: users.ADMIN, name: admin.name, role: 'ADMIN', region_code: admin.regionCode }),
    };
    await seedHouseholds(svc);
    const assetIds = await seedProjectsAndAssets(svc);
    await seedRightsDemo(svc, assetIds);
    await seedIncomeDemo(svc, assetIds);
    const actors = Object.fromEntries(
      DEMO_USERS.map((u) => [u.key, toActor({ id: users[u.key], name: u.name, role: u.role as Role, region_code: u.regionCode })]),
    );
    await seedDistributionDemo(svc, actors);
    await seedBundlesDemo(svc, actors);
    await seedRevitalisationDemo(svc, assetIds, actors);
    await seedDisposalDemo(svc, actors, assetIds);
    await seedOfficialsDemo(svc, actors);
  });
}

/** A deterministic, checksum-valid resident ID for the n-th demo person of a county. */
export function demoResidentId(countyPrefix: string, n: number): string {
  const year = 1950 + (n % 45);
  const month = String(1 + (n % 12)).padStart(2, '0');
  const day = String(1 + (n % 28)).padStart(2, '0');
  const seq = String(100 + (n % 900)).padStart(3, '0');
  const first17 = `${countyPrefix}${year}${month}${day}${seq}`;
  return first17 + residentIdCheckChar(first17);
}

async function seedHouseholds(svc: ServiceContext): Promise<void> {
  const villages = [
    [V.yundingCommunity, 30],
    [V.jintai, 28],
    [V.shiqiao, 26],
    [V.taoyuan, 24],
    [V.chaping, 36],
    [V.qinggang, 22],
    [V.songlin, 20],
    [V.baiyang, 25],
    [V.hongyan, 15],
    [V.liangya, 60],
  ] as const;
  let n = 0;
  for (const [village, count] of villages) {
    for (let i = 0; i < count; i++, n++) {
      // Roughly a third formerly poor, one in ten monitored, as in a typical 脱贫村.
      const status = i % 10 === 3 ? 'MONITORED' : i % 3 === 0 ? 'FORMERLY_POOR' : 'ORDINARY';
      await registerHousehold(svc, {
        villageCode: village,
        headName: SURNAMES[(n * 7) % SURNAMES.length] + GIVEN[(n * 3) % GIVEN.length],
        idNumber: demoResidentId(village.slice(0, 6), n),
        memberCount: 1 + ((n * 5) % 6),
        status,
        statusEffectiveOn: status === 'MONITORED' ? '2022-06-30' : '2020-12-31',
      });
    }
  }
}

interface DemoAsset {
  name: string;
  class: AssetClass;
  subType: AssetSubType;
  quantity: number;
  unit: string;
  village: string;
  valueYuan: number;
  funding: [FundSource, number][];
  completedOn: string;
  acceptedOn: string;
  bookedOn?: string;
  /** Lifecycle steps with their effective dates (rights, deed and contract data: seeds/demo-rights.ts). */
  steps: [DemoStep, string][];
}

interface DemoProject {
  name: string;
  year: number;
  unit: string;
  region: string;
  funding: [FundSource, number][];
  assets: DemoAsset[];
}

const handOverAndRun = (confirm: string, handOver: string, run: [DemoStep, string]): [DemoStep, string][] => [
  ['CONFIRM_RIGHTS', confirm],
  ['HAND_OVER', handOver],
  run,
];

export const DEMO_PROJECTS: DemoProject[] = [
  {
    name: '云顶镇茶旅融合产业园建设项目',
    year: 2021,
    unit: '南江县农业农村局',
    region: YUNDING,
    funding: [
      ['CENTRAL_TRANSITION', 4_200_000],
      ['PROVINCIAL_TRANSITION', 1_300_000],
      ['EAST_WEST_COOPERATION', 1_000_000],
      ['VILLAGE_SELF_FUNDED', 500_000],
    ],
    assets: [
      {
        name: '云顶茶叶加工厂（厂房及生产线）',
        class: 'OPERATING',
        subType: 'PROCESSING_FACILITY',
        quantity: 2400,
        unit: '平方米',
        village: V.chaping,
        valueYuan: 3_200_000,
        funding: [
          ['CENTRAL_TRANSITION', 2_000_000],
          ['EAST_WEST_COOPERATION', 1_000_000],
          ['VILLAGE_SELF_FUNDED', 200_000],
        ],
        completedOn: '2021-10-20',
        acceptedOn: '2021-11-30',
        bookedOn: '2022-01-10',
        steps: handOverAndRun('2021-12-15', '2021-12-28', ['START_OPERATION', '2022-03-01']),
      },
      {
        name: '石桥村生态茶园基地',
        class: 'OPERATING',
        subType: 'INDUSTRY_BASE',
        quantity: 600,
        unit: '亩',
        village: V.shiqiao,
        valueYuan: 1_500_000,
        funding: [
          ['CENTRAL_TRANSITION', 1_200_000],
          ['VILLAGE_SELF_FUNDED', 300_000],
        ],
        completedOn: '2021-06-30',
        acceptedOn: '2021-08-15',
        bookedOn: '2021-09-01',
        steps: handOverAndRun('2021-08-20', '2021-08-25', ['START_OPERATION', '2021-09-01']),
      },
      {
        name: '金台村茶旅民宿（8间）',
        class: 'OPERATING',
        subType: 'TOURISM_FACILITY',
        quantity: 8,
        unit: '间',
        village: V.jintai,
        valueYuan: 1_300_000,
        funding: [
          ['CENTRAL_TRANSITION', 1_000_000],
          ['PROVINCIAL_TRANSITION', 300_000],
        ],
        completedOn: '2021-11-15',
        acceptedOn: '2021-12-20',
        bookedOn: '2022-01-10',
        steps: handOverAndRun('2022-01-05', '2022-01-08', ['START_OPERATION', '2022-04-01']),
      },
      {
        name: '云顶社区游客服务中心',
        class: 'OPERATING',
        subType: 'TOURISM_FACILITY',
        quantity: 1,
        unit: '处',
        village: V.yundingCommunity,
        valueYuan: 1_000_000,
        funding: [['PROVINCIAL_TRANSITION', 1_000_000]],
        completedOn: '2021-11-15',
        acceptedOn: '2021-12-20',
        steps: [['CONFIRM_RIGHTS', '2022-01-05']],
      },
    ],
  },
  {
    name: '云顶镇乡村旅游民宿提升项目',
    year: 2022,
    unit: '南江县文化广播电视和旅游局',
    region: YUNDING,
    funding: [
      ['CENTRAL_TRANSITION', 2_400_000],
      ['COUNTY_TRANSITION', 800_000],
      ['PAIRED_ASSISTANCE', 300_000],
    ],
    assets: [
      {
        name: '桃园村精品民宿（12间）',
        class: 'OPERATING',
        subType: 'TOURISM_FACILITY',
        quantity: 12,
        unit: '间',
        village: V.taoyuan,
        valueYuan: 1_800_000,
        funding: [
          ['CENTRAL_TRANSITION', 1_400_000],
          ['COUNTY_TRANSITION', 400_000],
        ],
        completedOn: '2022-09-30',
        acceptedOn: '2022-10-31',
        bookedOn: '2022-11-20',
        steps: [...handOverAndRun('2022-11-10', '2022-11-15', ['START_OPERATION', '2023-01-01']), ['TERMINATE_CONTRACT', '2024-11-30']],
      },
      {
        name: '青岗村农家民宿（6间）',
        class: 'OPERATING',
        subType: 'TOURISM_FACILITY',
        quantity: 6,
        unit: '间',
        village: V.qinggang,
        valueYuan: 1_000_000,
        funding: [
          ['CENTRAL_TRANSITION', 700_000],
          ['COUNTY_TRANSITION', 300_000],
        ],
        completedOn: '2022-09-30',
        acceptedOn: '2022-10-31',
        steps: handOverAndRun('2022-11-10', '2022-11-15', ['START_OPERATION', '2023-04-01']),
      },
      {
        name: '松林村茶叶电商直播间',
        class: 'OPERATING',
        subType: 'ECOMMERCE_FACILITY',
        quantity: 1,
        unit: '处',
        village: V.songlin,
        valueYuan: 400_000,
        funding: [
          ['CENTRAL_TRANSITION', 100_000],
          ['PAIRED_ASSISTANCE', 300_000],
        ],
        completedOn: '2022-08-15',
        acceptedOn: '2022-08-30',
        steps: [],
      },
    ],
  },
  {
    name: '茶坪村产业路及饮水巩固提升项目',
    year: 2020,
    unit: '南江县交通运输局',
    region: YUNDING,
    funding: [
      ['CENTRAL_TRANSITION', 1_500_000],
      ['WORK_RELIEF', 400_000],
      ['COUNTY_TRANSITION', 300_000],
    ],
    assets: [
      {
        name: '茶坪村产业路（4.5公里）',
        class: 'PUBLIC_WELFARE',
        subType: 'ROAD',
        quantity: 4.5,
        unit: '公里',
        village: V.chaping,
        valueYuan: 1_350_000,
        funding: [
          ['CENTRAL_TRANSITION', 950_000],
          ['WORK_RELIEF', 400_000],
        ],
        completedOn: '2020-10-30',
        acceptedOn: '2020-11-25',
        bookedOn: '2020-12-20',
        steps: handOverAndRun('2020-12-01', '2020-12-10', ['PUT_IN_USE', '2020-12-10']),
      },
      {
        name: '青岗村集中供水工程',
        class: 'PUBLIC_WELFARE',
        subType: 'DRINKING_WATER',
        quantity: 1,
        unit: '处',
        village: V.qinggang,
        valueYuan: 550_000,
        funding: [
          ['CENTRAL_TRANSITION', 400_000],
          ['COUNTY_TRANSITION', 150_000],
        ],
        completedOn: '2020-09-15',
        acceptedOn: '2020-10-10',
        steps: handOverAndRun('2020-10-20', '2020-10-25', ['PUT_IN_USE', '2020-11-01']),
      },
      {
        name: '松林村卫生室',
        class: 'PUBLIC_WELFARE',
        subType: 'CLINIC',
        quantity: 120,
        unit: '平方米',
        village: V.songlin,
        valueYuan: 300_000,
        funding: [
          ['CENTRAL_TRANSITION', 150_000],
          ['COUNTY_TRANSITION', 150_000],
        ],
        completedOn: '2020-08-01',
        acceptedOn: '2020-08-20',
        steps: handOverAndRun('2020-09-01', '2020-09-05', ['PUT_IN_USE', '2020-09-10']),
      },
    ],
  },
  {
    name: '柏杨社区脱贫户能繁母牛到户项目',
    year: 2021,
    unit: '南江县畜牧站',
    region: V.baiyang,
    funding: [['CENTRAL_TRANSITION', 240_000]],
    assets: [
      {
        name: '能繁母牛（到户，20户）',
        class: 'HOUSEHOLD',
        subType: 'LIVESTOCK',
        quantity: 20,
        unit: '头',
        village: V.baiyang,
        valueYuan: 240_000,
        funding: [['CENTRAL_TRANSITION', 240_000]],
        completedOn: '2021-05-10',
        acceptedOn: '2021-05-20',
        steps: handOverAndRun('2021-05-25', '2021-05-28', ['PUT_IN_USE', '2021-06-01']),
      },
    ],
  },
  {
    name: '红岩村光伏电站项目',
    year: 2019,
    unit: '南江县发展和改革局',
    region: V.hongyan,
    funding: [['CENTRAL_TRANSITION', 800_000]],
    assets: [
      {
        name: '红岩村村级光伏电站（200kW）',
        class: 'OPERATING',
        subType: 'PV_STATION',
        quantity: 200,
        unit: '千瓦',
        village: V.hongyan,
        valueYuan: 800_000,
        funding: [['CENTRAL_TRANSITION', 800_000]],
        completedOn: '2019-06-30',
        acceptedOn: '2019-07-20',
        bookedOn: '2019-08-01',
        steps: handOverAndRun('2019-07-25', '2019-07-28', ['START_OPERATION', '2019-08-01']),
      },
    ],
  },
  {
    name: '亮垭村红心猕猴桃产业园建设项目',
    year: 2019,
    unit: '剑阁县农业农村局',
    region: V.liangya,
    funding: [
      ['CENTRAL_TRANSITION', 2_600_000],
      ['PROVINCIAL_TRANSITION', 600_000],
      ['COUNTY_TRANSITION', 400_000],
      ['VILLAGE_SELF_FUNDED', 200_000],
    ],
    assets: [
      {
        name: '亮垭村红心猕猴桃产业园（350亩）',
        class: 'OPERATING',
        subType: 'INDUSTRY_BASE',
        quantity: 350,
        unit: '亩',
        village: V.liangya,
        valueYuan: 3_800_000,
        funding: [
          ['CENTRAL_TRANSITION', 2_600_000],
          ['PROVINCIAL_TRANSITION', 600_000],
          ['COUNTY_TRANSITION', 400_000],
          ['VILLAGE_SELF_FUNDED', 200_000],
        ],
        completedOn: '2019-11-30',
        acceptedOn: '2019-12-20',
        bookedOn: '2020-01-15',
        steps: handOverAndRun('2019-12-25', '2019-12-30', ['START_OPERATION', '2020-03-01']),
      },
    ],
  },
];

async function seedProjectsAndAssets(svc: ServiceContext): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const p of DEMO_PROJECTS) {
    const project = await createProject(svc, {
      name: p.name,
      year: p.year,
      implementingUnit: p.unit,
      regionCode: p.region,
      fundingLines: p.funding.map(([source, y]) => ({ source, amountFen: yuan(y) })),
    });
    for (const a of p.assets) {
      const asset = await registerAsset(svc, {
        projectId: project.id,
        name: a.name,
        class: a.class,
        subType: a.subType,
        quantity: a.quantity,
        unit: a.unit,
        villageCode: a.village,
        originalValueFen: yuan(a.valueYuan),
        fundingLines: a.funding.map(([source, y]) => ({ source, amountFen: yuan(y) })),
        completedOn: a.completedOn,
        acceptedOn: a.acceptedOn,
        bookedOn: a.bookedOn ?? null,
      });
      ids.set(a.name, asset.id);
      for (const [step, on] of a.steps) {
        await runDemoStep(svc, { id: asset.id, name: a.name, villageCode: a.village, transferor: p.unit }, step, on);
      }
    }
  }
  return ids;
}

/** 资金来源 Funding sources of assistance projects (domain brief §1). */
export const FUND_SOURCES = [
  'CENTRAL_TRANSITION', // 中央衔接资金
  'PROVINCIAL_TRANSITION', // 省级衔接资金
  'CITY_TRANSITION', // 市级衔接资金
  'COUNTY_TRANSITION', // 县级衔接资金
  'INTEGRATED_AGRICULTURE', // 统筹整合涉农资金
  'SECTOR', // 行业扶贫资金
  'WORK_RELIEF', // 以工代赈
  'LOTTERY', // 彩票公益金
  'LOCAL_BOND', // 地方政府债券
  'EAST_WEST_COOPERATION', // 东西部协作
  'PAIRED_ASSISTANCE', // 定点帮扶 / 对口帮扶
  'SOCIAL_DONATION', // 社会捐赠
  'VILLAGE_SELF_FUNDED', // 村集体自筹
  'CREDIT', // 信贷
  'OTHER', // 其他
] as const;
export type FundSource = (typeof FUND_SOURCES)[number];

/** 资金级次 Level of government (or non-government) behind a funding line. */
export const FUND_LEVELS = ['CENTRAL', 'PROVINCIAL', 'CITY', 'COUNTY', 'TOWNSHIP', 'VILLAGE', 'NON_GOVERNMENT'] as const;
export type FundLevel = (typeof FUND_LEVELS)[number];

/** The level implied by a source, where the source says it. */
export const IMPLIED_LEVEL: Partial<Record<FundSource, FundLevel>> = {
  CENTRAL_TRANSITION: 'CENTRAL',
  PROVINCIAL_TRANSITION: 'PROVINCIAL',
  CITY_TRANSITION: 'CITY',
  COUNTY_TRANSITION: 'COUNTY',
  VILLAGE_SELF_FUNDED: 'VILLAGE',
  SOCIAL_DONATION: 'NON_GOVERNMENT',
  CREDIT: 'NON_GOVERNMENT',
};

export interface FundingLine {
  source: FundSource;
  level: FundLevel | null;
  amountFen: number;
}

export interface Project {
  id: number;
  name: string;
  year: number;
  implementingUnit: string;
  regionCode: string;
  countyCode: string;
  totalFen: number;
  createdAt: string;
}

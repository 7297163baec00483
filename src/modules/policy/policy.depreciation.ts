/**
 * 折旧规则 Depreciation rules by asset sub-type (issue 14), configurable per county. The defaults below are
 * the project's; docs/reports.md states for each which follows a written rule and which is an assumption.
 *
 * - Useful lives follow the minimum lives of 企业所得税法实施条例 第六十条 (buildings and structures 20 years,
 *   machinery and production equipment 10 years, electronic equipment 3 years), the usual reference when a
 *   village collective sets its own lives under 农村集体经济组织会计制度 (财会〔2023〕14号), which leaves the
 *   life and residual rate to the organisation.
 * - Residual rate 5% of original value: an assumption (common practice; no national figure for collectives).
 * - Not depreciated: equity stakes and debt claims (financial assets, not fixed assets — a rule); public-welfare
 *   assets (an assumption: carried at original value in the register, the common county practice; a county can
 *   switch it on); household assets (owned by households, not on the collective's books — a rule, §3).
 */
import { ALL_SUB_TYPES, SUB_TYPES_BY_CLASS, type AssetSubType } from '../assets/assets.types';

export interface DepreciationRule {
  subType: AssetSubType;
  /** 折旧年限 useful life in months. */
  lifeMonths: number;
  /** 残值率 residual rate, basis points of original value. */
  residualBp: number;
  /** 是否计提折旧 whether this sub-type is depreciated at all. */
  depreciated: boolean;
  /** True while the county uses the default for this sub-type. */
  isDefault: boolean;
}

const YEARS: Partial<Record<AssetSubType, number>> = {
  INDUSTRY_BASE: 20,
  PROCESSING_FACILITY: 20,
  TOURISM_FACILITY: 20,
  ECOMMERCE_FACILITY: 10,
  PV_STATION: 20,
  ASSISTANCE_WORKSHOP: 20,
  MACHINERY: 10,
  REVENUE_INFRASTRUCTURE: 20,
  OTHER_OPERATING: 10,
};
const NOT_DEPRECIATED = new Set<AssetSubType>(['EQUITY_STAKE', 'DEBT_CLAIM', ...SUB_TYPES_BY_CLASS.PUBLIC_WELFARE, ...SUB_TYPES_BY_CLASS.HOUSEHOLD]);

export const DEFAULT_RESIDUAL_BP = 500;

export function defaultRule(subType: AssetSubType): DepreciationRule {
  const depreciated = !NOT_DEPRECIATED.has(subType);
  // Sub-types not depreciated by default still carry a life, used if a county switches them on.
  const years = YEARS[subType] ?? 20;
  return { subType, lifeMonths: years * 12, residualBp: DEFAULT_RESIDUAL_BP, depreciated, isDefault: true };
}

export const DEFAULT_RULES: DepreciationRule[] = ALL_SUB_TYPES.map(defaultRule);

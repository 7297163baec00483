import type * as G from '../src/generated/schema';
import type { AccountKind, EntryKind, SourceType, VerifyProblem } from '../src/modules/journal/journal.types';
import type { AssetClass, AssetStatus, AssetSubType } from '../src/modules/assets/assets.types';
import type { ContractState, DecisionKind, FeeKind, FeePeriod, OperationMode, VersionKind } from '../src/modules/contracts/contracts.types';
import type { DocumentKind } from '../src/modules/documents/documents.types';
import type { FundLevel, FundSource } from '../src/modules/projects/projects.types';
import type { HouseholdStatus } from '../src/modules/households/households.types';
import type { IncomeKind } from '../src/modules/income/income.types';
import type { FlagCode, LineBasis, LineType, MeetingStep, PlanStatus } from '../src/modules/distribution/distribution.types';
import type { PartyKind } from '../src/modules/parties/parties.types';
import type { RegionLevel } from '../src/modules/regions/regions.codes';
import type { RightsLevel, RightsRecordKind } from '../src/modules/rights/rights.types';
import type { Role } from '../src/shared/actor';
import type { UpkeepFundSource, UpkeepRecordKind } from '../src/modules/upkeep/upkeep.types';

/**
 * The domain's enum unions (from the modules' constant lists) and the schema's enums (generated) hold the same
 * values: a value added on one side only fails `npm run build` here. Checked by the type-checker; the test
 * below only keeps jest's runner content.
 */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : { onlyInGenerated: Exclude<B, A> }) : { onlyInDomain: Exclude<A, B> };

export const SAME_VALUES: true[] = [
  true as Same<AccountKind, G.AccountKind>,
  true as Same<AssetClass, G.AssetClass>,
  true as Same<AssetStatus, G.AssetStatus>,
  true as Same<AssetSubType, G.AssetSubType>,
  true as Same<ContractState, G.ContractState>,
  true as Same<VersionKind, G.ContractVersionKind>,
  true as Same<DecisionKind, G.DecisionKind>,
  true as Same<DocumentKind, G.DocumentKind>,
  true as Same<FeeKind, G.FeeKind>,
  true as Same<FeePeriod, G.FeePeriod>,
  true as Same<FundLevel, G.FundLevel>,
  true as Same<FundSource, G.FundSource>,
  true as Same<HouseholdStatus, G.HouseholdStatus>,
  true as Same<IncomeKind, G.IncomeKind>,
  true as Same<EntryKind, G.JournalEntryKind>,
  true as Same<SourceType, G.JournalSourceType>,
  true as Same<VerifyProblem, G.JournalVerifyProblem>,
  true as Same<MeetingStep, G.MeetingStep>,
  true as Same<OperationMode, G.OperationMode>,
  true as Same<PartyKind, G.PartyKind>,
  true as Same<RegionLevel, G.RegionLevel>,
  true as Same<RightsLevel, G.RightsLevel>,
  true as Same<RightsRecordKind, G.RightsRecordKind>,
  true as Same<Role, G.Role>,
  true as Same<UpkeepFundSource, G.UpkeepFundSource>,
  true as Same<UpkeepRecordKind, G.UpkeepRecordKind>,
  true as Same<FlagCode, G.DistributionFlagCode>,
  true as Same<LineBasis, G.DistributionLineBasis>,
  true as Same<LineType, G.DistributionLineType>,
  true as Same<PlanStatus, G.DistributionPlanStatus>,
];

describe('domain enums and schema enums', () => {
  it('hold the same values (checked by tsc; see SAME_VALUES)', () => {
    expect(SAME_VALUES.every((v) => v === true)).toBe(true);
  });
});

import type { PartyKind } from '../parties/parties.types';

/** 确权层级 Rights level: the level of government or collective the asset is confirmed to (brief §3). */
export const RIGHTS_LEVELS = ['COUNTY', 'TOWNSHIP', 'VILLAGE', 'HOUSEHOLD'] as const;
export type RightsLevel = (typeof RIGHTS_LEVELS)[number];

/** The kind of owner each level means: county → a county body (state), village → collectives, … */
export const OWNER_KIND_OF_LEVEL: Record<RightsLevel, PartyKind> = {
  COUNTY: 'COUNTY_BODY',
  TOWNSHIP: 'TOWNSHIP',
  VILLAGE: 'VILLAGE_COLLECTIVE',
  HOUSEHOLD: 'HOUSEHOLD',
};

/** 100% in basis points: joint shares add up to exactly this. */
export const FULL_SHARE_BP = 10_000;

/** CONFIRMATION: the first 确权; CHANGE: a later change of owners or shares (a transfer, needs approval). */
export type RightsRecordKind = 'CONFIRMATION' | 'CHANGE';

export interface RightsConfirmation {
  id: number;
  assetId: number;
  kind: RightsRecordKind;
  rightsLevel: RightsLevel;
  certificateNo: string;
  effectiveOn: string;
  reason: string | null;
  approvalRef: string | null;
  approvedBy: string | null;
  approvedOn: string | null;
  actorUserId: number;
  recordedAt: string;
}

/** One owner's share over a period; effectiveTo is exclusive (the first day it no longer applies). */
export interface AssetOwner {
  id: number;
  assetId: number;
  partyId: number;
  shareBp: number;
  effectiveFrom: string;
  effectiveTo: string | null;
  confirmationId: number;
  recordedAt: string;
}

/** 移交书 Handover deed. */
export interface HandoverDeed {
  id: number;
  assetId: number;
  deedNo: string;
  handedOverOn: string;
  transferor: string;
  recipientPartyId: number;
  recipientSignatory: string | null;
  witness: string;
  note: string | null;
  actorUserId: number;
  recordedAt: string;
}

/**
 * What GraphiQL opens with: one tab per user group, each with a read-only example of its daily work and,
 * in the demo, that group's demo token in the tab's headers, so pressing Run shows real data at once.
 * Read-only on purpose: a tab run twice must not register anything twice.
 */

/** The county-finance tab (县财政局): a county user's first look at the register. Also the default query. */
export const DEFAULT_QUERY = `# 帮扶资产台账 Bangfu Ledger — demo county 南江县 (Nanjiang), as the county finance office (县财政局).
# Other tabs: village clerk (村记账员), township reviewer (乡镇审核), county planner (县乡村振兴局). See README.

query CountyRegister {
  me { name role region { name } }
  assets(filter: { regionCode: "511922000000", class: OPERATING }, first: 10) {
    totalCount
    nodes {
      code
      name
      status
      originalValue
      village { name }
      project { name year }
      fundingLines { source amount }
      owners { shareBp party { name } }
      currentContract { contractNo mode endOn operator { name } fee { annualAmount } }
    }
  }
  contractsExpiring(regionCode: "511922000000", withinDays: 60) { nodes { contractNo endOn asset { name } } }
  upkeepWarnings(regionCode: "511922000000") { nodes { message } }
}
`;

const CLERK_QUERY = `# 村记账员 Village clerk of 茶坪村: the village's register and its income distributions.

query VillageRegister {
  me { name role region { name } }
  assets(filter: { regionCode: "511922105005" }, first: 20) {
    totalCount
    nodes { code name class status originalValue events { action effectiveOn } }
  }
  distributionPlans(filter: { regionCode: "511922105005" }) { nodes { id title status total planOn } }
}
`;

const REVIEWER_QUERY = `# 乡镇审核 Township reviewer of 云顶镇: plans under public notice, waiting for the township's approval.

query PlansToReview {
  me { name role region { name } }
  distributionPlans(filter: { regionCode: "511922105000", status: IN_NOTICE }) {
    nodes { id title village { name } total planOn notices { startOn endOn } flags { code message } }
  }
}
`;

const PLANNER_QUERY = `# 县乡村振兴局 County planner of 南江县: idle assets to revitalise.

query IdleAssets {
  me { name role region { name } }
  assets(filter: { regionCode: "511922000000", status: IDLE }) {
    nodes { code name originalValue village { name } events { action effectiveOn reason } }
  }
}
`;

export interface GraphiqlTab {
  query: string;
  headers?: string;
}

/** Demo tokens per group, when the demo is on; without them the tabs open with no headers. */
export interface DemoTokens {
  clerk: string;
  reviewer: string;
  finance: string;
  planner: string;
}

export function exampleTabs(tokens: Partial<DemoTokens> | null): GraphiqlTab[] {
  const tab = (query: string, token: string | undefined): GraphiqlTab =>
    token ? { query, headers: JSON.stringify({ Authorization: `Bearer ${token}` }, null, 2) } : { query };
  return [
    tab(DEFAULT_QUERY, tokens?.finance),
    tab(CLERK_QUERY, tokens?.clerk),
    tab(REVIEWER_QUERY, tokens?.reviewer),
    tab(PLANNER_QUERY, tokens?.planner),
  ];
}

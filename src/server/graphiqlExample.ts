/** The operation GraphiQL opens with: a county user's first look at the register. */
export const DEFAULT_QUERY = `# 帮扶资产台账 Bangfu Ledger — demo county 南江县 (Nanjiang).
# The Authorization header below carries the demo county-finance token; see README for the other roles.

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

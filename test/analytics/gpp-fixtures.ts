// The usnat fields the GPP tests hand to the IAB library to encode (@iabgpp/cmpapi), for comparison.

/** The usnat fields of a visitor opted out of sale and sharing, not of targeted advertising, with GPC on. */
export const USNAT_SALE_AND_SHARING_OUT = {
  SharingNotice: 1,
  SaleOptOutNotice: 1,
  SharingOptOutNotice: 1,
  TargetedAdvertisingOptOutNotice: 1,
  SaleOptOut: 1,
  SharingOptOut: 1,
  TargetedAdvertisingOptOut: 2,
  MspaCoveredTransaction: 2,
  GpcSegmentIncluded: true,
  Gpc: true,
} as const;

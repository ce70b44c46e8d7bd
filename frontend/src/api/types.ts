// Short names for the generated schemas the pages use. Every type here is
// an alias of src/api/schema.gen.ts: never write an API type by hand.
import type { components } from './schema.gen';

type Schemas = components['schemas'];

export type Me = Schemas['Me'];
export type Tenant = Schemas['Tenant'];
export type Store = Schemas['Store'];
export type CreateStoreInput = Schemas['CreateStoreInput'];
export type UpdateStoreInput = Schemas['UpdateStoreInput'];
export type Franchisee = Schemas['Franchisee'];
export type FranchiseeInput = Schemas['FranchiseeInput'];
export type UserDetail = Schemas['UserDetail'];
export type Assignment = Schemas['Assignment'];
export type AssignmentInput = Schemas['AssignmentInput'];
export type Role = Schemas['Role'];
export type PermissionInfo = Schemas['PermissionInfo'];
export type AuditRow = Schemas['AuditRow'];
export type BillingPlan = Schemas['BillingPlan'];
export type BillingSubscription = Schemas['BillingSubscription'];
export type Onboarding = Schemas['Onboarding'];
export type OnboardingStepKey = Schemas['Onboarding']['steps'][number]['key'];
// members
export type Member = Schemas['Member'];
export type Member360 = Schemas['Member360'];
export type MemberCard = Schemas['MemberCard'];
export type MemberCoupon = Schemas['MemberCoupon'];
export type PointsEntry = Schemas['PointsEntry'];
export type StoredValueEntry = Schemas['StoredValueEntry'];
export type CreateMemberInput = Schemas['CreateMemberInput'];
export type UpdateMemberInput = Schemas['UpdateMemberInput'];
export type ImportReport = Schemas['ImportReport'];
export type MemberTier = Schemas['MemberTier'];
export type MemberTierInput = Schemas['MemberTierInput'];
export type MemberTierUpdate = Schemas['MemberTierUpdate'];
export type PointsRule = Schemas['PointsRule'];
export type PointsRuleInput = Schemas['PointsRuleInput'];
export type MemberGift = Schemas['MemberGift'];
export type MemberQRToken = Schemas['MemberQRToken'];
// finance
export type FinEntity = Schemas['FinEntity'];
export type FinAccount = Schemas['FinAccount'];
export type FinCreateAccountInput = Schemas['FinCreateAccountInput'];
export type FinPeriod = Schemas['FinPeriod'];
export type FinJournalEntry = Schemas['FinJournalEntry'];
export type FinJournalLine = Schemas['FinJournalLine'];
export type FinManualLine = Schemas['FinManualLine'];
export type FinManualEntry = Schemas['FinManualEntry'];
export type FinManualEntryInput = Schemas['FinManualEntryInput'];
export type FinStatement = Schemas['FinStatement'];
export type FinStatementRow = Schemas['FinStatementRow'];
export type FinClearingRule = Schemas['FinClearingRule'];
export type FinClearingInput = Schemas['FinClearingInput'];
export type FinRoyaltyRule = Schemas['FinRoyaltyRule'];
export type FinRoyaltyInput = Schemas['FinRoyaltyInput'];
export type FinSettlement = Schemas['FinSettlement'];

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
// POS / the till
export type PosTill = Schemas['PosTill'];
export type PosShift = Schemas['PosShift'];
export type PosShiftCount = Schemas['PosShiftCount'];
export type PosCloseShiftInput = Schemas['PosCloseShiftInput'];
export type PosRegisterInput = Schemas['PosRegisterInput'];
export type PosRegisterCreated = Schemas['PosRegisterCreated'];
export type PosCartInput = Schemas['PosCartInput'];
export type PosLineInput = Schemas['PosLineInput'];
export type PosMemberRef = Schemas['PosMemberRef'];
export type PosPricedCart = Schemas['PosPricedCart'];
export type PosPricedLine = Schemas['PosPricedLine'];
export type PosCartMember = Schemas['PosCartMember'];
export type PosAllocation = Schemas['PosAllocation'];
export type PosAppliedPromotion = Schemas['PosAppliedPromotion'];
export type PosTenderInput = Schemas['PosTenderInput'];
export type PosTenderMethod = Schemas['PosTenderInput']['method'];
export type PosSaleInput = Schemas['PosSaleInput'];
export type PosSale = Schemas['PosSale'];
export type PosSaleLine = Schemas['PosSaleLine'];
export type PosReceipt = Schemas['PosReceipt'];
export type PosPayment = Schemas['PosPayment'];
export type PosPaymentInput = Schemas['PosPaymentInput'];
export type PosReturnInput = Schemas['PosReturnInput'];
export type PosReturn = Schemas['PosReturn'];
export type PosOfflineSaleInput = Schemas['PosOfflineSaleInput'];
export type PosOfflineBatchInput = Schemas['PosOfflineBatchInput'];
export type PosOfflineBatchResult = Schemas['PosOfflineBatchResult'];
export type CatalogItem = Schemas['CatalogItem'];
export type LookupResult = Schemas['LookupResult'];
export type Member = Schemas['Member'];

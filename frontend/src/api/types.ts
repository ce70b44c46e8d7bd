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
// POS back office, promotions and coupons, the dashboard.
export type PosDashboard = Schemas['PosDashboard'];
export type PosSettings = Schemas['PosSettings'];
export type PosSettingsInput = Schemas['PosSettingsInput'];
export type PosRegister = Schemas['PosRegister'];
export type PosRegisterCreated = Schemas['PosRegisterCreated'];
export type PosRegisterInput = Schemas['PosRegisterInput'];
export type PosRegisterUpdate = Schemas['PosRegisterUpdate'];
export type PosShift = Schemas['PosShift'];
export type PosShiftCount = Schemas['PosShiftCount'];
export type PosShiftReport = Schemas['PosShiftReport'];
export type PosTakings = Schemas['PosTakings'];
export type PosDayEnd = Schemas['PosDayEnd'];
export type PosSale = Schemas['PosSale'];
export type PosSaleLine = Schemas['PosSaleLine'];
export type PosSaleTender = Schemas['PosSaleTender'];
export type PosAllocation = Schemas['PosAllocation'];
export type PosReturn = Schemas['PosReturn'];
export type PosOfflineQueueEntry = Schemas['PosOfflineQueueEntry'];
export type Promotion = Schemas['Promotion'];
export type PromotionKind = Schemas['PromotionKind'];
export type PromotionInput = Schemas['PromotionInput'];
export type PromotionUpdate = Schemas['PromotionUpdate'];
export type PromotionRule = Schemas['PromotionRule'];
export type PromotionItems = Schemas['PromotionItems'];
export type PromotionStores = Schemas['PromotionStores'];
export type PromotionAudience = Schemas['PromotionAudience'];
export type PromotionWindow = Schemas['PromotionWindow'];
export type PromotionEffect = Schemas['PromotionEffect'];
export type PromotionSettings = Schemas['PromotionSettings'];
export type PromotionSettingsInput = Schemas['PromotionSettingsInput'];
export type CouponBatch = Schemas['CouponBatch'];
export type CouponBatchInput = Schemas['CouponBatchInput'];
export type Coupon = Schemas['Coupon'];

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

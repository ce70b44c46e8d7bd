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

// catalog
export type Category = Schemas['Category'];
export type CategoryNode = Schemas['CategoryNode'];
export type CreateCategoryInput = Schemas['CreateCategoryInput'];
export type UpdateCategoryInput = Schemas['UpdateCategoryInput'];
export type Brand = Schemas['Brand'];
export type Unit = Schemas['Unit'];
export type UnitInput = Schemas['UnitInput'];
export type Product = Schemas['Product'];
export type CreateProductInput = Schemas['CreateProductInput'];
export type UpdateProductInput = Schemas['UpdateProductInput'];
export type Sku = Schemas['Sku'];
export type CreateSkuInput = Schemas['CreateSkuInput'];
export type UpdateSkuInput = Schemas['UpdateSkuInput'];
export type PriceVersion = Schemas['PriceVersion'];
export type SetPriceInput = Schemas['SetPriceInput'];
export type Price = Schemas['Price'];
export type CatalogImport = Schemas['Import'];
export type RowError = Schemas['RowError'];
export type CatalogItem = Schemas['CatalogItem'];
export type Promotion = Schemas['Promotion'];

// inventory
export type InventorySettings = Schemas['InventorySettings'];
export type InventorySettingsInput = Schemas['InventorySettingsInput'];
export type StockLevel = Schemas['StockLevel'];
export type ThresholdsInput = Schemas['ThresholdsInput'];
export type StockMovement = Schemas['StockMovement'];
export type StockAlert = Schemas['StockAlert'];
export type ExpiringLot = Schemas['ExpiringLot'];
export type ReplenishmentLine = Schemas['ReplenishmentLine'];
export type ReplenishmentPlan = Schemas['ReplenishmentPlan'];
export type MovementInput = Schemas['MovementInput'];
export type MovementResult = Schemas['MovementResult'];
export type Stocktake = Schemas['Stocktake'];
export type StocktakeDetail = Schemas['StocktakeDetail'];
export type StocktakeLine = Schemas['StocktakeLine'];
export type StocktakeVariance = Schemas['StocktakeVariance'];
export type VarianceReport = Schemas['VarianceReport'];
export type Transfer = Schemas['Transfer'];
export type TransferLine = Schemas['TransferLine'];
export type CreateTransferInput = Schemas['CreateTransferInput'];
export type TransferQtyLine = Schemas['TransferQtyLine'];
export type StoreStockValue = Schemas['StoreStockValue'];
export type TurnoverRow = Schemas['TurnoverRow'];
export type SlowMover = Schemas['SlowMover'];
export type StockOutRow = Schemas['StockOutRow'];

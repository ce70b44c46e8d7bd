package inventory

import "chainstore/infra/problem"

// Errors of the inventory module. A store that is not the chain's is
// org.ErrStoreNotFound.
var (
	ErrSKUNotFound       = problem.New(404, "inventory.sku_not_found", "SKU not found")
	ErrInsufficientStock = problem.New(409, "inventory.insufficient_stock", "Not enough stock")
	ErrBadMovement       = problem.New(422, "inventory.invalid_movement", "The stock movement is invalid")
	ErrStocktakeNotFound = problem.New(404, "inventory.stocktake_not_found", "Stocktake not found")
	ErrStocktakeOpen     = problem.New(409, "inventory.stocktake_open", "This store already has a stocktake in progress")
	ErrStocktakeState    = problem.New(409, "inventory.stocktake_state", "The stocktake is not in a state that allows this")
	ErrBatchReused       = problem.New(409, "inventory.batch_reused", "This batch id was already sent with other counts")
	ErrBadStocktake      = problem.New(422, "inventory.invalid_stocktake", "The stocktake request is invalid")
	ErrTransferNotFound  = problem.New(404, "inventory.transfer_not_found", "Transfer not found")
	ErrTransferState     = problem.New(409, "inventory.transfer_state", "The transfer is not in a state that allows this")
	ErrBadTransfer       = problem.New(422, "inventory.invalid_transfer", "The transfer is invalid")
	ErrOverReceipt       = problem.New(422, "inventory.over_receipt", "More received than the chain's tolerance over what was shipped")
)

package catalog

import "chainstore/infra/problem"

// Errors of the catalog.
var (
	ErrCategoryNotFound = problem.New(404, "categories.not_found", "Category not found")
	ErrCategoryCodeTkn  = problem.New(409, "categories.code_taken", "Another category of this chain has this code")
	ErrCategoryInUse    = problem.New(409, "categories.in_use", "The category has subcategories or products")
	ErrBrandNotFound    = problem.New(404, "brands.not_found", "Brand not found")
	ErrBrandNameTaken   = problem.New(409, "brands.name_taken", "Another brand of this chain has this name")
	ErrUnitCodeTaken    = problem.New(409, "units.code_taken", "Another unit of this chain has this code")
	ErrProductNotFound  = problem.New(404, "products.not_found", "Product not found")
	ErrProductCodeTaken = problem.New(409, "products.code_taken", "Another product of this chain has this code")
	ErrSKUNotFound      = problem.New(404, "skus.not_found", "SKU not found")
	ErrSKUCodeTaken     = problem.New(409, "skus.code_taken", "Another SKU of this chain has this code")
	ErrPLUTaken         = problem.New(409, "skus.plu_taken", "Another SKU of this chain has this PLU")
	ErrBarcodeTaken     = problem.New(409, "barcodes.taken", "The barcode already names a SKU of this chain")
	ErrBarcodeNotFound  = problem.New(404, "barcodes.not_found", "Barcode not found")
	ErrInvalid          = problem.New(422, "catalog.invalid", "The catalog data is invalid")
	ErrOutOfBounds      = problem.New(422, "prices.out_of_bounds", "The price is outside the bounds HQ allows for this store")
	ErrImportNotFound   = problem.New(404, "imports.not_found", "Import not found")
	ErrImportFile       = problem.New(422, "imports.unreadable", "The file cannot be read as CSV or XLSX")
	ErrImportState      = problem.New(409, "imports.not_committable", "The import is not waiting to be committed")
	ErrImportHasErrors  = problem.New(422, "imports.has_errors", "The file has bad rows; commit with accept_errors to write only the good rows")
	ErrNotFoundInLookup = problem.New(404, "catalog.item_not_found", "No item matches")
	ErrBoundsNotSet     = problem.New(404, "price_bounds.not_set", "HQ has set no price bounds for this SKU")
	ErrTreeTooLarge     = problem.New(422, "categories.tree_too_large", "The category tree is too large to return at once; page the flat list")
)

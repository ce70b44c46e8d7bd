package pos

import "chainstore/infra/problem"

// Errors of the POS, each with a stable code a till can act on.
var (
	ErrRegisterNotFound  = problem.New(404, "pos.register_not_found", "Register not found")
	ErrRegisterCodeTaken = problem.New(409, "pos.register_code_taken", "Another register of this store has this code")
	ErrRegisterToken     = problem.New(401, "pos.register_unauthenticated", "This request needs the register's device credential (X-Register-Token)")
	ErrRegisterRevoked   = problem.New(403, "pos.register_revoked", "This register's credential was revoked")
	ErrRegisterOffline   = problem.New(403, "pos.register_offline_not_allowed", "This register may not sell offline")

	ErrShiftNotFound = problem.New(404, "pos.shift_not_found", "Shift not found")
	ErrShiftOpen     = problem.New(409, "pos.shift_already_open", "This register already has an open shift")
	ErrNoShift       = problem.New(409, "pos.shift_closed", "No open shift of this cashier at this register")
	ErrShiftState    = problem.New(409, "pos.shift_state", "The shift is not in a state that allows this")
	ErrBadShift      = problem.New(422, "pos.invalid_shift", "The shift request is invalid")

	ErrBadCart        = problem.New(422, "pos.invalid_cart", "The cart is invalid")
	ErrSKUNotFound    = problem.New(422, "pos.sku_not_found", "No such product at this store")
	ErrNoPrice        = problem.New(422, "pos.no_price", "The product has no price in force")
	ErrMemberNotFound = problem.New(422, "pos.member_not_found", "No member matches")
	ErrMemberFrozen   = problem.New(409, "pos.member_frozen", "The member's card is frozen or lost")
	ErrCoupon         = problem.New(422, "pos.coupon_refused", "A coupon cannot be used")
	ErrPoints         = problem.New(422, "pos.points_refused", "The points cannot be used")
	ErrReprice        = problem.New(409, "pos.reprice", "The cart's price changed (a budget ran out or a coupon was used); price it again")

	ErrBadSale        = problem.New(422, "pos.invalid_sale", "The sale is invalid")
	ErrTenders        = problem.New(422, "pos.tenders_mismatch", "The tenders do not pay the total")
	ErrApproval       = problem.New(403, "pos.approval_required", "A manager's approval is needed")
	ErrApprovalDenied = problem.New(403, "pos.approval_denied", "The approval is not valid")
	ErrSaleNotFound   = problem.New(404, "pos.sale_not_found", "Sale not found")
	ErrSaleIDReused   = problem.New(409, "pos.sale_id_reused", "This sale id was already used for another sale")

	ErrPaymentNotFound = problem.New(404, "pos.payment_not_found", "Payment not found")
	ErrPaymentState    = problem.New(409, "pos.payment_state", "The payment is not approved and unused")
	ErrPaymentDeclined = problem.New(402, "pos.payment_declined", "The payment was declined")
	ErrPaymentPending  = problem.New(409, "pos.payment_pending", "The payment's outcome is not known yet; query it")
	ErrNoProvider      = problem.New(503, "pos.payments_not_configured", "External payments are not configured")
	ErrBadPayment      = problem.New(422, "pos.invalid_payment", "The payment request is invalid")

	ErrReturnExceeds = problem.New(409, "pos.return_exceeds_sale", "More returned than was sold")
	ErrBadReturn     = problem.New(422, "pos.invalid_return", "The return is invalid")
	ErrVoidRefused   = problem.New(409, "pos.void_refused", "Only the last sale of the open shift, with nothing returned, can be voided")

	ErrBadBatch    = problem.New(422, "pos.invalid_batch", "The offline batch is invalid")
	ErrBatchReused = problem.New(409, "pos.batch_reused", "This batch id was already uploaded with other sales")

	ErrInvoiceNotFound = problem.New(404, "pos.einvoice_not_found", "Invoice request not found")
	ErrBadInvoice      = problem.New(422, "pos.invalid_einvoice", "The invoice request is invalid")
	ErrNoInvoicing     = problem.New(503, "pos.einvoice_not_configured", "E-invoicing is not configured")
)

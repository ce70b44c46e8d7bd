package promotions

import (
	"chainstore/infra/problem"
	"chainstore/tenant/org"
)

// Errors of the promotions service and its API. Another chain's object,
// and another franchisee's promotion, answer the not-found ones.
var (
	ErrNotFound       = problem.New(404, "promotions.not_found", "Promotion not found")
	ErrBatchNotFound  = problem.New(404, "promotions.batch_not_found", "Coupon batch not found")
	ErrCouponNotFound = problem.New(404, "promotions.coupon_not_found", "Coupon not found")
	ErrStoreNotFound  = org.ErrStoreNotFound // the one declaration of stores.not_found
	ErrInvalid        = problem.New(422, "promotions.invalid", "The promotion is invalid")
	ErrBatchInvalid   = problem.New(422, "promotions.batch_invalid", "The coupon batch is invalid")
	ErrState          = problem.New(409, "promotions.state", "The promotion's status does not allow this")
	// Franchise rules.
	ErrFranchiseNotAllowed = problem.New(403, "promotions.franchise_not_allowed", "HQ does not let franchisees run promotions of their own")
	ErrTooDeep             = problem.New(422, "promotions.too_deep", "The discount is deeper than HQ lets franchisees give")
	ErrForced              = problem.New(409, "promotions.forced", "HQ runs this promotion in every store; it cannot be opted out of")
	ErrOptOutNotAllowed    = problem.New(403, "promotions.opt_out_not_allowed", "HQ does not let franchise stores opt out of its promotions")
	ErrNotOptable          = problem.New(409, "promotions.not_optable", "Only a franchise store can opt out, and only of an HQ promotion")
	// Coupon batches and coupons.
	ErrBatchExhausted = problem.New(409, "promotions.batch_exhausted", "The batch has no coupons left to issue")
	ErrBatchMode      = problem.New(409, "promotions.batch_mode", "The batch does not issue coupons this way")
	ErrUnknownMember  = problem.New(422, "promotions.unknown_member", "No such member in this chain")
	ErrExportTooLarge = problem.New(422, "promotions.export_too_large", "Too many coupons for one export file")
	// What Consume refuses (the POS prices the sale again) and what a
	// coupon's state refuses.
	ErrBudgetExhausted   = problem.New(409, "promotions.budget_exhausted", "A promotion's budget cannot cover this discount; price the sale again")
	ErrMemberLimit       = problem.New(409, "promotions.member_limit", "The member has used a promotion as often as it allows; price the sale again")
	ErrCouponUsed        = problem.New(409, "promotions.coupon_used", "The coupon has been used")
	ErrCouponExpired     = problem.New(409, "promotions.coupon_expired", "The coupon has expired")
	ErrCouponVoid        = problem.New(409, "promotions.coupon_void", "The coupon was voided")
	ErrCouponOtherMember = problem.New(409, "promotions.coupon_other_member", "The coupon belongs to another member")
	ErrSaleReused        = problem.New(409, "promotions.sale_reused", "This sale document already consumed different promotions")
	ErrBadConsumption    = problem.New(422, "promotions.bad_consumption", "The consumption names promotions or coupons that do not fit")
)

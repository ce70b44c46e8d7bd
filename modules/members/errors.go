package members

import "chainstore/infra/problem"

// Errors of the members module. An unknown store is org.ErrStoreNotFound.
var (
	ErrNotFound            = problem.New(404, "members.not_found", "Member not found")
	ErrTierNotFound        = problem.New(404, "members.tier_not_found", "Member tier not found")
	ErrGiftNotFound        = problem.New(404, "members.gift_not_found", "Gift not found")
	ErrRuleNotFound        = problem.New(404, "members.rule_not_found", "Rule not found")
	ErrEntryNotFound       = problem.New(404, "members.entry_not_found", "Ledger entry not found")
	ErrPhoneTaken          = problem.New(409, "members.phone_taken", "Another member of this chain has this phone number")
	ErrCardTaken           = problem.New(409, "members.card_taken", "Another card has this number")
	ErrTierTaken           = problem.New(409, "members.tier_taken", "Another tier has this code or rank")
	ErrCardState           = problem.New(409, "members.card_state", "The card's state does not allow this")
	ErrInactive            = problem.New(409, "members.inactive", "The member was merged or erased")
	ErrInsufficientPoints  = problem.New(409, "members.insufficient_points", "Not enough points")
	ErrInsufficientBalance = problem.New(409, "members.insufficient_balance", "Not enough stored value")
	ErrGiftUnavailable     = problem.New(409, "members.gift_unavailable", "The gift is inactive or out of stock")
	ErrBalanceNotZero      = problem.New(409, "members.balance_not_zero", "Cash out the member's stored value before erasing")
	ErrRefundTooLarge      = problem.New(409, "members.refund_exceeds_payment", "The refund exceeds what is left of the payment")
	ErrRefundByReturn      = problem.New(409, "members.refund_by_return", "This stored-value payment settled a sale: refund it by returning the sale's goods")
	ErrSourceReused        = problem.New(409, "members.source_reused", "This source document already recorded a different movement")
	ErrQRInvalid           = problem.New(422, "members.qr_invalid", "The member QR code is not valid")
	ErrQRExpired           = problem.New(422, "members.qr_expired", "The member QR code has expired; refresh it")
	ErrQRUsed              = problem.New(409, "members.qr_used", "The member QR code was already scanned; refresh it")
	ErrInvalid             = problem.New(422, "members.invalid", "The request is invalid")
	ErrImportInvalid       = problem.New(422, "members.import_invalid", "The import file has errors")
	ErrExportTooLarge      = problem.New(422, "members.export_too_large", "Too many members for one export file")
)

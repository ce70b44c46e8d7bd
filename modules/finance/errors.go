package finance

import "chainstore/infra/problem"

// Errors of the finance module. A store or franchisee that is not the
// chain's is org's error (org.ErrStoreNotFound, org.ErrFranchiseeNotFound).
var (
	ErrEntityNotFound     = problem.New(404, "finance.entity_not_found", "Accounting entity not found")
	ErrEntryNotFound      = problem.New(404, "finance.entry_not_found", "Journal entry not found")
	ErrManualNotFound     = problem.New(404, "finance.manual_entry_not_found", "Manual journal entry not found")
	ErrSettlementNotFound = problem.New(404, "finance.settlement_not_found", "Settlement not found")
	ErrUnbalanced         = problem.New(422, "finance.unbalanced", "The entry does not balance")
	ErrInvalidEntry       = problem.New(422, "finance.invalid_entry", "The journal entry is invalid")
	ErrInvalidEvent       = problem.New(422, "finance.invalid_event", "The business event cannot be posted")
	ErrPeriodLocked       = problem.New(422, "finance.period_locked", "The period is locked")
	ErrPeriodState        = problem.New(409, "finance.period_state", "The period cannot change to that state")
	ErrYearClosed         = problem.New(409, "finance.year_closed", "The year is already closed")
	ErrAccountCodeTaken   = problem.New(409, "finance.account_code_taken", "Another account has this code")
	ErrAlreadyReversed    = problem.New(409, "finance.already_reversed", "The entry has already been reversed")
	ErrNotReversible      = problem.New(422, "finance.not_reversible", "This entry cannot be reversed")
	ErrManualDecided      = problem.New(409, "finance.manual_entry_decided", "The manual entry was already approved or rejected")
	ErrSelfApproval       = problem.New(403, "finance.self_approval", "A manual entry must be approved by someone other than its author")
	ErrSettlementPosted   = problem.New(409, "finance.settlement_posted", "The settlement is already posted")
)

package org

import "chainstore/infra/problem"

// Errors of stores and franchisees.
var (
	ErrStoreNotFound      = problem.New(404, "stores.not_found", "Store not found")
	ErrStoreCodeTaken     = problem.New(409, "stores.code_taken", "Another store of this chain has this code")
	ErrFranchiseeNotFound = problem.New(404, "franchisees.not_found", "Franchisee not found")
	ErrFranchiseeNameTkn  = problem.New(409, "franchisees.name_taken", "Another franchisee of this chain has this name")
	ErrBadStore           = problem.New(422, "stores.invalid", "The store is invalid")
)

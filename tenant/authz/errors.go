package authz

import "chainstore/infra/problem"

// Errors of roles and assignments.
var (
	ErrRoleNotFound      = problem.New(404, "roles.not_found", "Role not found")
	ErrRoleKeyTaken      = problem.New(409, "roles.key_taken", "A role with this key already exists")
	ErrBuiltinRole       = problem.New(409, "roles.builtin", "Built-in roles cannot be changed or deleted")
	ErrRoleInUse         = problem.New(409, "roles.in_use", "The role is still assigned to users")
	ErrUnknownPermission = problem.New(422, "roles.unknown_permission", "Unknown permission")
	ErrBadAssignment     = problem.New(422, "roles.bad_assignment", "The role assignment is invalid")
	ErrEscalation        = problem.New(403, "roles.escalation", "You cannot grant or remove a role with permissions you do not hold there")
)

package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestImportsPointOneWay keeps main → api → modules → tenant → infra:
// nothing imports a layer above it, and infra imports nothing of ours.
func TestImportsPointOneWay(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	layer := func(pkg string) int {
		switch {
		case pkg == "chainstore":
			return 5
		case strings.HasPrefix(pkg, "chainstore/api"):
			return 4
		case strings.HasPrefix(pkg, "chainstore/modules"):
			return 3
		case strings.HasPrefix(pkg, "chainstore/tenant"):
			return 2
		case strings.HasPrefix(pkg, "chainstore/migrations"):
			return 1 // the embedded schema and its test databases; above infra
		case strings.HasPrefix(pkg, "chainstore/infra"):
			return 0
		}
		return -1
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg, from := fields[0], layer(fields[0])
		for _, imp := range fields[1:] {
			if !strings.HasPrefix(imp, "chainstore") {
				continue
			}
			to := layer(imp)
			if to > from {
				t.Errorf("%s imports %s, a layer above it", pkg, imp)
			}
			if from == 0 && to != 0 {
				t.Errorf("infra package %s imports %s; infra imports nothing of ours", pkg, imp)
			}
		}
	}
}

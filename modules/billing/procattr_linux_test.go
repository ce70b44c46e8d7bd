//go:build linux

package billing_test

import (
	"os/exec"
	"syscall"
)

// dieWithParent: stripe-mock is killed if the test binary dies without
// cleaning up (a crash, a fuzz worker stopped by its coordinator).
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}

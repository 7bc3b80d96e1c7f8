package checks

// otherChecks are the INV, SEC-01..04, LOG-01..07, RUN-01/02/05..08,
// NET-02/03, CHG, ACC, EXP and TAG checks.
func otherChecks() []*Check { return nil }

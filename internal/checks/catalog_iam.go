package checks

// iamChecks are LW-IAM-01..12, LW-LOG-08 and LW-NET-01 (the checks that read
// the execution role's policies).
func iamChecks() []*Check {
	return []*Check{
		checkIAM01(), checkIAM02(), checkIAM03(), checkIAM04(), checkIAM05(), checkIAM06(),
		checkIAM07(), checkIAM08(), checkIAM09(), checkIAM10(), checkIAM11(), checkIAM12(),
		checkLOG08(), checkNET01(),
	}
}

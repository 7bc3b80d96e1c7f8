package checks

// otherChecks are the INV, SEC-01..04, LOG-01..07, RUN-01/02/05..08,
// NET-02/03, CHG, ACC, EXP and TAG checks.
func otherChecks() []*Check {
	out := []*Check{
		checkINV01(), checkINV02(), checkINV03(), checkINV04(), checkINV05(),
		checkINV06(), checkINV07(), checkINV08(), checkINV09(),
		checkSEC01(), checkSEC02(), checkSEC03(), checkSEC04(),
		checkLOG01(), checkLOG02(), checkLOG03(), checkLOG04(), checkLOG05(), checkLOG06(), checkLOG07(),
		checkRUN01(), checkRUN02(), checkRUN05(), checkRUN06(), checkRUN07(), checkRUN08(),
		checkNET02(), checkNET03(),
		checkCHG01(), checkCHG02(),
		checkEXP01(),
		checkTAG01(),
	}
	return append(out, accountChecks()...)
}

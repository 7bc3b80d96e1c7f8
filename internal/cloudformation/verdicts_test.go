package cloudformation

import "time"

// oracleNow is the fixed scan date of the differential tests, so runtime
// deprecation verdicts do not change with the calendar.
var oracleNow = time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)

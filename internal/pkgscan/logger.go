package pkgscan

import (
	"fmt"
	"log/slog"
)

// LibraryLogger routes osv-scalibr's diagnostics, which it prints to stderr
// through the standard log package by default, to a slog.Logger at debug
// level. Install it once at startup:
//
//	scalibrlog.SetLogger(pkgscan.LibraryLogger{Logger: logger})
//
// (scalibrlog is github.com/google/osv-scalibr/log).
type LibraryLogger struct{ Logger *slog.Logger }

func (l LibraryLogger) log(msg string) {
	if l.Logger != nil {
		l.Logger.Debug(msg, "from", "osv-scalibr")
	}
}

// Errorf implements scalibr's log.Logger.
func (l LibraryLogger) Errorf(format string, args ...any) { l.log(fmt.Sprintf(format, args...)) }

// Error implements scalibr's log.Logger.
func (l LibraryLogger) Error(args ...any) { l.log(fmt.Sprint(args...)) }

// Warnf implements scalibr's log.Logger.
func (l LibraryLogger) Warnf(format string, args ...any) { l.log(fmt.Sprintf(format, args...)) }

// Warn implements scalibr's log.Logger.
func (l LibraryLogger) Warn(args ...any) { l.log(fmt.Sprint(args...)) }

// Infof implements scalibr's log.Logger.
func (l LibraryLogger) Infof(format string, args ...any) { l.log(fmt.Sprintf(format, args...)) }

// Info implements scalibr's log.Logger.
func (l LibraryLogger) Info(args ...any) { l.log(fmt.Sprint(args...)) }

// Debugf implements scalibr's log.Logger.
func (l LibraryLogger) Debugf(format string, args ...any) { l.log(fmt.Sprintf(format, args...)) }

// Debug implements scalibr's log.Logger.
func (l LibraryLogger) Debug(args ...any) { l.log(fmt.Sprint(args...)) }

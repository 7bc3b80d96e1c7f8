package cli

import (
	"context"
	"log/slog"
)

// The registered sources are built without a command (Sources), yet their
// diagnostics belong on the running command's stderr at its level (-v,
// --quiet, LW_LOG_LEVEL). The command puts its logger in the context it
// runs the scan with; ctxHandler hands each record to that logger.

type loggerKey struct{}

// withLogger returns ctx carrying log for ctxHandler.
func withLogger(ctx context.Context, log *slog.Logger) context.Context {
	return context.WithValue(ctx, loggerKey{}, log)
}

// ctxHandler is a slog.Handler that passes each record to the handler of
// the logger in the context it is logged with (see withLogger), and drops
// it when there is none. Attributes and groups added with WithAttrs and
// WithGroup are applied, in order, to that handler.
type ctxHandler struct {
	with []func(slog.Handler) slog.Handler
}

func (h ctxHandler) target(ctx context.Context) slog.Handler {
	if ctx == nil {
		return nil
	}
	log, _ := ctx.Value(loggerKey{}).(*slog.Logger)
	if log == nil {
		return nil
	}
	t := log.Handler()
	for _, w := range h.with {
		t = w(t)
	}
	return t
}

// Enabled implements slog.Handler.
func (h ctxHandler) Enabled(ctx context.Context, level slog.Level) bool {
	t := h.target(ctx)
	return t != nil && t.Enabled(ctx, level)
}

// Handle implements slog.Handler.
func (h ctxHandler) Handle(ctx context.Context, r slog.Record) error {
	if t := h.target(ctx); t != nil {
		return t.Handle(ctx, r)
	}
	return nil
}

// WithAttrs implements slog.Handler.
func (h ctxHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return h.add(func(t slog.Handler) slog.Handler { return t.WithAttrs(attrs) })
}

// WithGroup implements slog.Handler.
func (h ctxHandler) WithGroup(name string) slog.Handler {
	return h.add(func(t slog.Handler) slog.Handler { return t.WithGroup(name) })
}

func (h ctxHandler) add(w func(slog.Handler) slog.Handler) ctxHandler {
	return ctxHandler{with: append(h.with[:len(h.with):len(h.with)], w)}
}

package cli

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
)

func TestCtxHandler(t *testing.T) {
	var buf bytes.Buffer
	cmdLog := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo}))
	log := slog.New(ctxHandler{}).With("source", "serverless").WithGroup("g")

	log.InfoContext(context.Background(), "dropped: no logger in the context")
	ctx := withLogger(context.Background(), cmdLog)
	log.DebugContext(ctx, "dropped: below the command's level")
	log.InfoContext(ctx, "kept", "k", "v")
	got := buf.String()
	if strings.Contains(got, "dropped") || !strings.Contains(got, `msg=kept source=serverless g.k=v`) {
		t.Errorf("logged %q", got)
	}
	if log.Handler().Enabled(context.Background(), slog.LevelError) {
		t.Error("enabled without a logger in the context")
	}
}

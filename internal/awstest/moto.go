// Package awstest runs the AWS emulator moto_server and an in-repo
// fault-injecting HTTP proxy in front of it, so that tests and benchmarks
// drive the real aws-sdk-go-v2 clients over the real wire protocols without
// an AWS account.
package awstest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"
)

// MotoCommand is the emulator's executable, looked up on PATH.
const MotoCommand = "moto_server"

// Moto is a running moto_server.
type Moto struct {
	// URL is the server's base URL (http://127.0.0.1:PORT).
	URL string

	cmd  *exec.Cmd
	out  *lockedBuffer
	done chan struct{}
}

// RequireMoto returns the path of moto_server, or skips the test when it is
// not installed; under CI (CI=true) a missing emulator fails the test instead,
// because CI must run these tests.
func RequireMoto(tb testing.TB) string {
	tb.Helper()
	path, err := exec.LookPath(MotoCommand)
	if err == nil {
		return path
	}
	msg := "moto_server is not installed (it ships with the Python package moto[server] 5.2.1: " +
		"pip install 'moto[server]==5.2.1'); the live AWS integration tests need it"
	if os.Getenv("CI") == "true" {
		tb.Fatalf("%s, and CI=true requires them to run", msg)
	}
	tb.Skip(msg)
	return ""
}

// StartMoto starts moto_server on a free local port with the AWS-managed IAM
// policies loaded, waits until it answers, and stops it when the test ends.
// It skips (or fails under CI) when moto_server is missing.
func StartMoto(tb testing.TB) *Moto {
	tb.Helper()
	path := RequireMoto(tb)
	m, err := startMoto(path)
	if err != nil {
		tb.Fatalf("start moto_server: %v", err)
	}
	tb.Cleanup(m.stop)
	return m
}

func startMoto(path string) (*Moto, error) {
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		m := &Moto{URL: "http://127.0.0.1:" + strconv.Itoa(port), out: &lockedBuffer{}, done: make(chan struct{})}
		m.cmd = exec.Command(path, "-H", "127.0.0.1", "-p", strconv.Itoa(port))
		m.cmd.Env = append(os.Environ(), "MOTO_IAM_LOAD_MANAGED_POLICIES=true")
		m.cmd.Stdout = m.out
		m.cmd.Stderr = m.out
		m.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		if err := m.cmd.Start(); err != nil {
			return nil, fmt.Errorf("run %s: %w", path, err)
		}
		go func() { _ = m.cmd.Wait(); close(m.done) }()
		if err := m.waitReady(30 * time.Second); err != nil {
			m.stop()
			lastErr = fmt.Errorf("%w; output:\n%s", err, m.out.String())
			continue
		}
		return m, nil
	}
	return nil, lastErr
}

// waitReady polls the moto API until it answers or the process exits.
func (m *Moto) waitReady(limit time.Duration) error {
	deadline := time.Now().Add(limit)
	client := &http.Client{Timeout: time.Second}
	for time.Now().Before(deadline) {
		select {
		case <-m.done:
			return errors.New("moto_server exited")
		default:
		}
		resp, err := client.Get(m.URL + "/moto-api/data.json")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("moto_server did not answer within %s", limit)
}

// Reset clears every resource in every account and region (POST
// /moto-api/reset).
func (m *Moto) Reset(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, m.URL+"/moto-api/reset", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("reset moto: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("reset moto: HTTP %d", resp.StatusCode)
	}
	return nil
}

// stop kills moto_server's process group and waits for it.
func (m *Moto) stop() {
	if m.cmd == nil || m.cmd.Process == nil {
		return
	}
	select {
	case <-m.done:
		return
	default:
	}
	_ = syscall.Kill(-m.cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-m.done:
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(-m.cmd.Process.Pid, syscall.SIGKILL)
		<-m.done
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// lockedBuffer collects a process's output for error messages.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.b.Len() > 1<<16 {
		return len(p), nil
	}
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

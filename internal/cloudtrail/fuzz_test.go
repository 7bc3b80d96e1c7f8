package cloudtrail

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"testing"
	"time"
)

// FuzzDecode feeds arbitrary input to the record decoder: it must never
// panic, must end (EOF or an error) and must decode the same records and
// error whatever the window size, so refills never change the result.
// Crashers are kept in testdata/fuzz/FuzzDecode.
func FuzzDecode(f *testing.F) {
	for _, path := range []string{constructedSample, samplesDir + "trailscraper-fixture_111111111111_CloudTrail_eu-central-1_20171211T1505Z.json", "testdata/activity/events.jsonl"} {
		raw, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
	for _, s := range []string{
		`{"Records":[{"eventName":"A"},null]}`,
		`[{"eventName":"A"}]`,
		`{"Events":[{"CloudTrailEvent":"{\"eventName\":\"B\",\"resources\":[{\"ARN\":\"x\"}]}"}],"NextToken":"t"}`,
		"\xEF\xBB\xBF{\"eventTime\":\"2026-08-20T10:00:00Z\"}\n{\"eventName\":\"\\ud83d\\ude00\"}",
		`{"Records":[{"userIdentity":{"sessionContext":{"sessionIssuer":{"arn":1}}},"requestParameters":{"a":[1,{"b":-2e5}]}}]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		done := make(chan struct{})
		defer close(done)
		go func() {
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				panic(fmt.Sprintf("decoding %d bytes takes more than 5s", len(data)))
			}
		}()
		big, bigErr := decodeSummary(data, 0)
		small, smallErr := decodeSummary(data, 7)
		if !bytes.Equal(big, small) {
			t.Fatalf("window changes the records:\n%q\n%q", big, small)
		}
		var a, b *SyntaxError
		if errors.As(bigErr, &a) != errors.As(smallErr, &b) || (a != nil && (a.Offset != b.Offset || a.Line != b.Line || a.Msg != b.Msg)) {
			t.Fatalf("window changes the error: %v / %v", bigErr, smallErr)
		}
		if bigErr != nil && a == nil {
			t.Fatalf("error is not a SyntaxError: %v", bigErr)
		}
	})
}

// decodeSummary decodes data and returns a digest of every record.
func decodeSummary(data []byte, window int) ([]byte, error) {
	d := NewDecoder(bytes.NewReader(data))
	if window > 0 {
		d.buf = make([]byte, window)
	}
	var out bytes.Buffer
	var rec Record
	for n := 0; ; n++ {
		if n > len(data)+1 {
			return nil, errors.New("more records than input bytes")
		}
		err := d.Next(&rec)
		if err == io.EOF {
			return out.Bytes(), nil
		}
		if err != nil {
			return out.Bytes(), err
		}
		for _, f := range [][]byte{rec.EventTime, rec.EventSource, rec.EventName, rec.ErrorCode, rec.Identity.Type,
			rec.Identity.ARN, rec.Identity.IssuerARN, rec.RequestParameters, rec.SessionName(), rec.RoleARN()} {
			out.Write(f)
			out.WriteByte(0)
		}
		for _, r := range rec.Resources {
			out.Write(r)
			out.WriteByte(1)
		}
		rec.Time()
		rec.Partition()
		params, lists := map[string]string{}, map[string][]string{}
		topLevelStrings(rec.RequestParameters, params, lists)
		out.WriteByte('\n')
	}
}

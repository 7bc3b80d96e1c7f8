package iampolicy

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"reflect"
	"testing"
)

func gzipString(t testing.TB, s string) string {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.String()
}

func TestAWSManaged(t *testing.T) {
	basic := &Policy{Version: Version2012, Statements: []Statement{{
		Effect:    Allow,
		Actions:   []string{"logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"},
		Resources: []string{"*"},
	}}}
	admin := &Policy{Version: Version2012, Statements: []Statement{{Effect: Allow, Actions: []string{"*"}, Resources: []string{"*"}}}}
	tests := []struct {
		name     string
		key      string
		wantName string
		wantARN  string
		wantDoc  *Policy
	}{
		{"by name", "AWSLambdaBasicExecutionRole", "AWSLambdaBasicExecutionRole",
			"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", basic},
		{"by ARN with its path", "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", "AWSLambdaBasicExecutionRole",
			"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", basic},
		{"by ARN in another partition", "arn:aws-us-gov:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", "AWSLambdaBasicExecutionRole",
			"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", basic},
		{"by ARN with the path left out", "arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole", "AWSLambdaBasicExecutionRole",
			"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", basic},
		{"AdministratorAccess", "arn:aws:iam::aws:policy/AdministratorAccess", "AdministratorAccess",
			"arn:aws:iam::aws:policy/AdministratorAccess", admin},
		{"name in other case", "administratoraccess", "AdministratorAccess", "arn:aws:iam::aws:policy/AdministratorAccess", admin},
		{"job-function path", "ViewOnlyAccess", "ViewOnlyAccess", "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess", nil},
		{"AmazonS3FullAccess", "AmazonS3FullAccess", "AmazonS3FullAccess", "arn:aws:iam::aws:policy/AmazonS3FullAccess", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, ok := AWSManaged(tt.key)
			if !ok {
				t.Fatalf("AWSManaged(%q) not found", tt.key)
			}
			if p.Name != tt.wantName || p.ARN != tt.wantARN || p.Version == "" || p.Updated == "" {
				t.Errorf("got %s %s %s %s", p.Name, p.ARN, p.Version, p.Updated)
			}
			if p.ARN != ManagedPolicyARNPrefix+p.Path+p.Name {
				t.Errorf("ARN %s is not prefix+path+name", p.ARN)
			}
			if tt.wantDoc != nil && !reflect.DeepEqual(withoutLoc(p.Document), tt.wantDoc) {
				t.Errorf("document =\n%#v\nwant\n%#v", p.Document, tt.wantDoc)
			}
		})
	}
}

func TestAWSManagedS3FullAccess(t *testing.T) {
	p, ok := AWSManaged("AmazonS3FullAccess")
	if !ok {
		t.Fatal("not found")
	}
	var s3All bool
	for _, s := range p.Document.Statements {
		if s.Effect == Allow && s.AllowsAction("s3:DeleteBucket") && s.CoversResource("arn:aws:s3:::any-bucket") {
			s3All = true
		}
	}
	if !s3All {
		t.Errorf("AmazonS3FullAccess does not allow s3:DeleteBucket on any bucket: %+v", p.Document)
	}
	if d, _ := Evaluate([]*Policy{p.Document}, "iam:PassRole", "*"); d != NotAllowed {
		t.Errorf("AmazonS3FullAccess allows iam:PassRole: %v", d)
	}
}

func TestAWSManagedNotFound(t *testing.T) {
	for _, key := range []string{
		"", "NoSuchPolicy", "arn:aws:iam::123456789012:policy/AdministratorAccess",
		"arn:aws:iam::aws:policy/", "arn:aws:iam::aws:policy/NoSuchPolicy", "arn:", "arn:aws:s3:::bucket",
	} {
		if p, ok := AWSManaged(key); ok {
			t.Errorf("AWSManaged(%q) = %s, want not found", key, p.Name)
		}
	}
}

func TestAWSManagedReturnsCopies(t *testing.T) {
	a, _ := AWSManaged("AdministratorAccess")
	a.Document.Statements[0].Actions[0] = "s3:GetObject"
	b, _ := AWSManaged("AdministratorAccess")
	if b.Document.Statements[0].Actions[0] != "*" {
		t.Error("a caller's change leaked into the snapshot")
	}
}

// TestAllManagedPoliciesParse parses every embedded document and checks that
// the canonical form reads back to the same policy.
func TestAllManagedPoliciesParse(t *testing.T) {
	names := AWSManagedNames()
	if len(names) != 1485 {
		t.Fatalf("%d policies, want 1485", len(names))
	}
	for _, name := range names {
		p, ok := AWSManaged(name)
		if !ok {
			t.Fatalf("%s listed but not found", name)
		}
		if len(p.Document.Statements) == 0 {
			t.Errorf("%s has no statements", name)
		}
		data, err := json.Marshal(p.Document)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		back, err := Parse(data)
		if err != nil {
			t.Fatalf("%s: canonical form does not parse: %v", name, err)
		}
		if !reflect.DeepEqual(withoutLoc(back), withoutLoc(p.Document)) {
			t.Errorf("%s: canonical round trip changed the policy", name)
		}
	}
}

func TestIsAWSManagedARN(t *testing.T) {
	tests := []struct {
		arn  string
		want bool
	}{
		{"arn:aws:iam::aws:policy/AdministratorAccess", true},
		{"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", true},
		{"arn:aws-cn:iam::aws:policy/NotInTheSnapshotYet", true},
		{"arn:aws-us-gov:iam::aws:policy/job-function/ViewOnlyAccess", true},
		{"arn:aws:iam::123456789012:policy/AdministratorAccess", false},
		{"arn:aws:iam::aws:policy/", false},
		{"arn:aws:iam::aws:policy/service-role/", false},
		{"arn::iam::aws:policy/X", false},
		{"AdministratorAccess", false},
		{"arn:aws:iam::aws:role/X", false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.arn, func(t *testing.T) {
			if got := IsAWSManagedARN(tt.arn); got != tt.want {
				t.Errorf("IsAWSManagedARN(%q) = %v, want %v", tt.arn, got, tt.want)
			}
		})
	}
}

func TestDecodeManagedErrors(t *testing.T) {
	tests := []struct{ name, data string }{
		{"not gzip", "plain"},
		{"bad header", gzipString(t, "lwmp 2\n")},
		{"short line", gzipString(t, "lwmp 1\nName\t/\tv1\n")},
		{"unsorted", gzipString(t, "lwmp 1\nB\t/\tv1\tt\t{}\nA\t/\tv1\tt\t{}\n")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := decodeManaged([]byte(tt.data)); err == nil {
				t.Error("decodeManaged succeeded")
			}
		})
	}
}

func BenchmarkAWSManagedLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := decodeManaged(managedGz); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAWSManagedLookup(b *testing.B) {
	for _, name := range []string{"AWSLambdaBasicExecutionRole", "arn:aws:iam::aws:policy/ReadOnlyAccess"} {
		b.Run(name, func(b *testing.B) {
			AWSManaged(name) // first load outside the timing
			b.ReportAllocs()
			for b.Loop() {
				if _, ok := AWSManaged(name); !ok {
					b.Fatal("not found")
				}
			}
		})
	}
}

// TestConcurrentFirstUse loads the embedded data from many goroutines at
// once (run with -race).
func TestConcurrentFirstUse(t *testing.T) {
	done := make(chan bool)
	for i := range 8 {
		go func() {
			_, okA := DefaultCatalog().Lookup("s3:GetObject")
			_, okB := AWSManaged("AWSLambdaBasicExecutionRole")
			done <- okA && okB && len(Provenance()) == 2 && i >= 0
		}()
	}
	for range 8 {
		if !<-done {
			t.Error("lookup failed")
		}
	}
}

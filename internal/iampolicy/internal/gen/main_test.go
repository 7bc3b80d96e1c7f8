package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/lambdawarden/lambdawarden/internal/gendata"
)

// TestGeneratedFilesUpToDate regenerates the embedded files from the shared
// data, when it is present, and compares them with the committed ones.
func TestGeneratedFilesUpToDate(t *testing.T) {
	root, err := gendata.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	dataDir := filepath.Join(root, "..", "shared", "data")
	if _, err := os.Stat(filepath.Join(dataDir, "iam-actions.json")); err != nil {
		t.Skipf("shared data not available: %v", err)
	}
	files, err := generate(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 4 {
		t.Fatalf("generated %d files, want 4", len(files))
	}
	for _, f := range files {
		committed, err := os.ReadFile(filepath.Join("..", "..", filepath.FromSlash(f.name)))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(committed, f.data) {
			t.Errorf("%s is stale: run go generate ./internal/iampolicy", f.name)
		}
	}
}

func TestGenerateRejectsBadData(t *testing.T) {
	tests := []struct {
		name, actions, managed string
	}{
		{"unknown access level",
			`{"snapshot_date":"2026-01-01","services":{"s3":{"name":"S3","actions":{"GetObject":{"access":"Reading","resources":[]}},"resource_types":{}}}}`,
			`{"count":1,"source":"x","policies":{"P":{"path":"/","version":"v1","updated":"t","document":{}}}}`},
		{"actions that differ only in case",
			`{"snapshot_date":"2026-01-01","services":{"s3":{"name":"S3","actions":{"GetObject":{"access":"Read","resources":[]},"getobject":{"access":"Read","resources":[]}},"resource_types":{}}}}`,
			`{"count":1,"source":"x","policies":{"P":{"path":"/","version":"v1","updated":"t","document":{}}}}`},
		{"tab in an action name",
			`{"snapshot_date":"2026-01-01","services":{"s3":{"name":"S3","actions":{"Get\tObject":{"access":"Read","resources":[]}},"resource_types":{}}}}`,
			`{"count":1,"source":"x","policies":{"P":{"path":"/","version":"v1","updated":"t","document":{}}}}`},
		{"policy path without slashes",
			`{"snapshot_date":"2026-01-01","services":{"s3":{"name":"S3","actions":{"GetObject":{"access":"Read","resources":[]}},"resource_types":{}}}}`,
			`{"count":1,"source":"x","policies":{"P":{"path":"service-role","version":"v1","updated":"t","document":{}}}}`},
		{"count mismatch",
			`{"snapshot_date":"2026-01-01","services":{"s3":{"name":"S3","actions":{"GetObject":{"access":"Read","resources":[]}},"resource_types":{}}}}`,
			`{"count":2,"source":"x","policies":{"P":{"path":"/","version":"v1","updated":"t","document":{}}}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "iam-actions.json"), []byte(tt.actions), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "aws-managed-policies.json"), []byte(tt.managed), 0o644); err != nil {
				t.Fatal(err)
			}
			if _, err := generate(dir); err == nil {
				t.Error("generate accepted bad data")
			}
		})
	}
}

func TestGenerateSmall(t *testing.T) {
	dir := t.TempDir()
	actions := `{"source":"s","retrieved_from":"r","snapshot_date":"2026-01-01","licence":"l","services":{
	  "s3":{"name":"Amazon S3","actions":{"PutObject":{"access":"Write","resources":["object"]},"getObject":{"access":"Read","resources":["object","bucket"]}},
	        "resource_types":{"object":"arn:${Partition}:s3:::${BucketName}/${ObjectName}","bucket":"arn:${Partition}:s3:::${BucketName}"}},
	  "config":{"name":"Config","actions":{"TagResource":{"access":"Tagging","resources":["Connector"]}},"resource_types":{}}}}`
	managed := `{"count":1,"source":"m","policies":{"P":{"path":"/service-role/","version":"v2","updated":"2026-02-03T04:05:06+00:00","document":{"Statement": [ ]}}}}`
	os.WriteFile(filepath.Join(dir, "iam-actions.json"), []byte(actions), 0o644)
	os.WriteFile(filepath.Join(dir, "aws-managed-policies.json"), []byte(managed), 0o644)
	cat, err := readCatalog(filepath.Join(dir, "iam-actions.json"))
	if err != nil {
		t.Fatal(err)
	}
	want := "lwcat 1\n" +
		"S\tconfig\tConfig\nT\tConnector\t\nA\tTagResource\tT\t0\n" +
		"S\ts3\tAmazon S3\nT\tbucket\tarn:${Partition}:s3:::${BucketName}\nT\tobject\tarn:${Partition}:s3:::${BucketName}/${ObjectName}\n" +
		"A\tgetObject\tR\t1,0\nA\tPutObject\tW\t1\n"
	if got := string(cat.encode()); got != want {
		t.Errorf("catalog encoding =\n%q\nwant\n%q", got, want)
	}
	man, err := readManaged(filepath.Join(dir, "aws-managed-policies.json"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(man.encode()), "lwmp 1\nP\t/service-role/\tv2\t2026-02-03T04:05:06+00:00\t{\"Statement\":[]}\n"; got != want {
		t.Errorf("managed encoding = %q, want %q", got, want)
	}
	a, err := generate(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := generate(dir)
	for i := range a {
		if !bytes.Equal(a[i].data, b[i].data) {
			t.Errorf("%s is not deterministic", a[i].name)
		}
	}
}

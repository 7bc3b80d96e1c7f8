package cloudformation

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/lambdawarden/lambdawarden/internal/cloudformation/template"
	"github.com/lambdawarden/lambdawarden/internal/scan"
)

var (
	reResources = regexp.MustCompile(`(?m)(^|[{,\s])"?Resources"?\s*:`)
	reAWSType   = regexp.MustCompile(`"?Type"?\s*:\s*['"]?AWS::[A-Za-z0-9]+::[A-Za-z0-9]`)
	reSLSHeader = regexp.MustCompile(`(?m)^(service|frameworkVersion)\s*:`)
)

// skippedDir reports whether a file under folder name is never a template
// this source reads.
func skippedDir(name string) bool {
	switch name {
	case ".serverless", "node_modules", ".aws-sam", ".git", ".terraform":
		return true
	}
	return false
}

// isCDKDir reports whether dir is a CDK cloud assembly: cdk.out, or a
// nested stage assembly cdk.out/assembly-NAME.
func isCDKDir(dir string) bool {
	base := path.Base(dir)
	return base == "cdk.out" || strings.HasPrefix(base, "assembly-") && path.Base(path.Dir(dir)) == "cdk.out"
}

func isCDKTemplate(rel string) bool {
	return isCDKDir(path.Dir(rel)) && strings.HasSuffix(rel, ".template.json")
}

// candidate reports whether rel could be a template by its name.
func candidate(rel string) bool {
	for _, dir := range strings.Split(path.Dir(rel), "/") {
		if skippedDir(dir) || strings.HasPrefix(dir, "asset.") {
			return false
		}
	}
	base := strings.ToLower(path.Base(rel))
	switch base {
	case "serverless.yml", "serverless.yaml", "serverless.json", "samconfig.yaml", "samconfig.yml",
		"package.json", "package-lock.json", "tsconfig.json", "cdk.json", "manifest.json", "tree.json":
		return false
	}
	if isCDKDir(path.Dir(rel)) {
		return isCDKTemplate(rel)
	}
	switch path.Ext(base) {
	case ".yaml", ".yml", ".json", ".template", ".cfn":
		return true
	}
	return false
}

// sniff reports whether head, the first bytes of the file rel, is a
// CloudFormation or SAM template.
func sniff(rel string, head []byte) bool {
	if isCDKTemplate(rel) {
		return true
	}
	if bytes.Contains(head, []byte(`"terraform_version"`)) || bytes.Contains(head, []byte(`"format_version"`)) {
		// Terraform plan or state JSON.
		return false
	}
	if bytes.Contains(head, []byte("AWSTemplateFormatVersion")) || bytes.Contains(head, []byte("AWS::Serverless-2016-10-31")) {
		return true
	}
	if reSLSHeader.Match(head) && bytes.Contains(head, []byte("provider")) {
		return false
	}
	return reResources.Match(head) && reAWSType.Match(head)
}

func readHead(p string, n int) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, n)
	k, err := io.ReadFull(f, buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return buf[:k], nil
}

func (s *Source) find(ctx context.Context, t *scan.Tree) ([]string, error) {
	var found []string
	var parents []string
	for _, rel := range t.Files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if !candidate(rel) {
			continue
		}
		head, err := readHead(t.Path(rel), s.cfg.SniffBytes)
		if err != nil {
			// Unreadable files are not claimed; another source may report them.
			continue
		}
		if !sniff(rel, head) {
			continue
		}
		found = append(found, rel)
		if bytes.Contains(head, []byte("AWS::CloudFormation::Stack")) || bytes.Contains(head, []byte("AWS::Serverless::Application")) {
			parents = append(parents, rel)
		}
	}
	if len(parents) == 0 {
		return found, nil
	}
	children := map[string]bool{}
	for _, p := range parents {
		for _, c := range s.nestedChildren(t, p) {
			if c != p {
				children[c] = true
			}
		}
	}
	out := found[:0]
	for _, f := range found {
		if !children[f] {
			out = append(out, f)
		}
	}
	return out, nil
}

// nestedChildren returns the local templates that template rel nests.
func (s *Source) nestedChildren(t *scan.Tree, rel string) []string {
	data, err := readFileLimited(t.Path(rel), s.cfg.Template.MaxBytes)
	if err != nil {
		return nil
	}
	tp, err := template.Parse(rel, data, s.cfg.Template)
	if err != nil {
		return nil
	}
	var out []string
	template.Pairs(tp.Resources, func(_, r *yaml.Node) {
		if c, ok := localChild(rel, r); ok {
			out = append(out, c)
		}
	})
	return out
}

// localChild returns the tree-relative path of the template a nested stack
// resource points at, when it is a local file: TemplateURL (or SAM's
// Location) as a relative path, or the CDK's aws:asset:path metadata.
func localChild(parentRel string, r *yaml.Node) (string, bool) {
	typ := template.Get(r, "Type")
	if typ == nil || (typ.Value != "AWS::CloudFormation::Stack" && typ.Value != "AWS::Serverless::Application") {
		return "", false
	}
	props := template.Get(r, "Properties")
	for _, key := range []string{"TemplateURL", "Location"} {
		u := template.Get(props, key)
		if u != nil && u.Kind == yaml.ScalarNode && !isShortForm(u) && isLocalPath(u.Value) {
			return joinRel(parentRel, u.Value)
		}
	}
	if p := template.Get(template.Get(r, "Metadata"), "aws:asset:path"); p != nil && p.Kind == yaml.ScalarNode && strings.HasSuffix(p.Value, ".json") && isLocalPath(p.Value) {
		return joinRel(parentRel, p.Value)
	}
	return "", false
}

func isLocalPath(s string) bool {
	return s != "" && !strings.Contains(s, "://") && !strings.HasPrefix(s, "s3:") && !path.IsAbs(s)
}

// joinRel resolves p against the folder of rel; ok is false when the result
// leaves the tree.
func joinRel(rel, p string) (string, bool) {
	j := path.Clean(path.Join(path.Dir(rel), strings.TrimPrefix(p, "file://")))
	if j == ".." || strings.HasPrefix(j, "../") {
		return "", false
	}
	return j, true
}

// readFileLimited reads a file, failing when it is larger than limit.
func readFileLimited(p string, limit int64) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if limit <= 0 {
		return io.ReadAll(f)
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, errTooLarge
	}
	return data, nil
}

var errTooLarge = errors.New("file is larger than the template size limit")

// isShortForm reports whether n carries a short-form intrinsic tag (!Ref).
func isShortForm(n *yaml.Node) bool {
	return strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!")
}

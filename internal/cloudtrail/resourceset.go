package cloudtrail

import (
	"slices"
	"sort"
	"strings"
)

// resourceSet is the set of resources one action was used on. S3 object
// ARNs are kept in a tree per bucket so that a prefix holding more than
// the threshold of objects or sub-prefixes collapses to prefix/* as soon
// as it does: the set stays small whatever the number of objects.
type resourceSet struct {
	arns    map[string]struct{}
	buckets map[string]*s3Node // "arn:PARTITION:s3:::BUCKET" -> its keys
	star    bool
}

type s3Node struct {
	children  map[string]*s3Node
	leaf      bool // an object with exactly this key
	collapsed bool // every key under this prefix
}

// splitObjectARN splits arn:PARTITION:s3:::BUCKET/KEY into the bucket ARN
// and the key.
func splitObjectARN(arn string) (bucket, key string, ok bool) {
	rest, ok := strings.CutPrefix(arn, "arn:")
	if !ok {
		return "", "", false
	}
	partition, rest, ok := strings.Cut(rest, ":")
	if !ok {
		return "", "", false
	}
	path, ok := strings.CutPrefix(rest, "s3:::")
	if !ok {
		return "", "", false
	}
	b, k, ok := strings.Cut(path, "/")
	if !ok || b == "" {
		return "", "", false
	}
	return "arn:" + partition + ":s3:::" + b, k, true
}

func (s *resourceSet) add(arn string, threshold int) {
	if arn == "*" {
		s.star = true
		return
	}
	if bucket, key, ok := splitObjectARN(arn); ok {
		if s.buckets == nil {
			s.buckets = map[string]*s3Node{}
		}
		root := s.buckets[bucket]
		if root == nil {
			root = &s3Node{}
			s.buckets[bucket] = root
		}
		if k, ok := strings.CutSuffix(key, "/*"); ok && strings.HasSuffix(arn, "/*") && !strings.Contains(k, "${*}") {
			insertKey(root, k, threshold, true)
		} else if key == "*" {
			root.collapsed, root.children = true, nil
		} else {
			insertKey(root, key, threshold, false)
		}
		return
	}
	if s.arns == nil {
		s.arns = map[string]struct{}{}
	}
	s.arns[arn] = struct{}{}
}

// insertKey adds an object key (or, with prefix, every key under it).
func insertKey(n *s3Node, key string, threshold int, prefix bool) {
	for seg := range strings.SplitSeq(key, "/") {
		if n.collapsed {
			return
		}
		child := n.children[seg]
		if child == nil {
			if n.children == nil {
				n.children = map[string]*s3Node{}
			}
			child = &s3Node{}
			n.children[seg] = child
			if len(n.children) > threshold {
				n.collapsed, n.children = true, nil
				return
			}
		}
		n = child
	}
	if prefix {
		n.collapsed, n.children = true, nil
		return
	}
	n.leaf = true
}

func (s *resourceSet) merge(b *resourceSet, threshold int) {
	for _, r := range b.list() {
		s.add(r, threshold)
	}
}

// list returns the resources, sorted: "*" alone when any call needed it.
func (s *resourceSet) list() []string {
	if s.star {
		return []string{"*"}
	}
	out := make([]string, 0, len(s.arns))
	for a := range s.arns {
		out = append(out, a)
	}
	for bucket, root := range s.buckets {
		out = appendKeys(out, bucket, root, true)
	}
	sort.Strings(out)
	return slices.Compact(out)
}

func appendKeys(out []string, prefix string, n *s3Node, root bool) []string {
	if n.leaf && !root {
		out = append(out, prefix)
	}
	if n.collapsed {
		return append(out, prefix+"/*")
	}
	for seg, child := range n.children {
		out = appendKeys(out, prefix+"/"+seg, child, false)
	}
	return out
}

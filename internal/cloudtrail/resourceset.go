package cloudtrail

import (
	"slices"
	"sort"
	"strings"
)

// resourceSet is the set of resources one action was used on. ARNs are
// kept in a tree per resource root (arn:PARTITION:SERVICE:REGION:ACCOUNT:
// and the first segment of the resource: an S3 bucket, "table",
// "log-group", ...), split at '/' and ':', so that a prefix holding more
// than the threshold of distinct children collapses to prefix/* as soon as
// it does: S3 objects, log streams and the like never pile up, and the set
// grows with the distinct resources up to the threshold per prefix, not
// with the number of calls.
type resourceSet struct {
	roots map[string]*resNode
	star  bool
}

type resNode struct {
	children  map[string]*resNode // key: the child's segment with its leading separator
	leaf      bool                // an ARN ends here
	collapsed bool                // every ARN under this prefix
	sep       byte                // the separator of the children ('/' or ':'), 0 when mixed or none
	sepSet    bool
}

// splitARN returns the ARN's root and the rest of its resource part.
func splitARN(arn string) (root, rest string, ok bool) {
	i, colons := 0, 0
	for ; i < len(arn) && colons < 5; i++ {
		if arn[i] == ':' {
			colons++
		}
	}
	if colons < 5 || !strings.HasPrefix(arn, "arn:") {
		return "", "", false
	}
	j := strings.IndexAny(arn[i:], "/:")
	if j < 0 {
		return arn, "", true
	}
	return arn[:i+j], arn[i+j:], true
}

// segments splits "/a/b:c" into "/a", "/b", ":c".
func segments(rest string, fn func(seg string) bool) {
	for rest != "" {
		j := strings.IndexAny(rest[1:], "/:")
		if j < 0 {
			fn(rest)
			return
		}
		if !fn(rest[:j+1]) {
			return
		}
		rest = rest[j+1:]
	}
}

func (s *resourceSet) add(arn string, threshold int) {
	if arn == "*" {
		s.star = true
		return
	}
	collapse, sep := false, byte(0)
	if p, ok := strings.CutSuffix(arn, "*"); ok && !strings.HasSuffix(arn, "${*}") {
		// A collapsed prefix (from merging another set): "prefix/*".
		arn, collapse = p, true
		if n := len(p); n > 0 && (p[n-1] == '/' || p[n-1] == ':') {
			arn, sep = p[:n-1], p[n-1]
		}
	}
	root, rest, ok := splitARN(arn)
	if !ok {
		root, rest = arn, "" // not an ARN: keep as is
	}
	if s.roots == nil {
		s.roots = map[string]*resNode{}
	}
	n := s.roots[root]
	if n == nil {
		n = &resNode{}
		s.roots[root] = n
	}
	segments(rest, func(seg string) bool {
		if n.collapsed {
			return false
		}
		child := n.children[seg]
		if child == nil {
			if n.children == nil {
				n.children = map[string]*resNode{}
			}
			switch {
			case !n.sepSet:
				n.sep, n.sepSet = seg[0], true
			case n.sep != seg[0]:
				n.sep = 0
			}
			child = &resNode{}
			n.children[seg] = child
			if len(n.children) > threshold {
				n.collapsed, n.children = true, nil
				return false
			}
		}
		n = child
		return true
	})
	if n.collapsed {
		return
	}
	if collapse {
		if !n.collapsed && len(n.children) > 0 && n.sep != sep {
			sep = 0
		}
		n.collapsed, n.children, n.sep = true, nil, sep
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
	var out []string
	for root, n := range s.roots {
		out = appendResources(out, root, n)
	}
	sort.Strings(out)
	return slices.Compact(out)
}

func appendResources(out []string, prefix string, n *resNode) []string {
	if n.leaf {
		out = append(out, prefix)
	}
	if n.collapsed {
		if n.sep != 0 {
			return append(out, prefix+string(n.sep)+"*")
		}
		return append(out, prefix+"*")
	}
	for seg, child := range n.children {
		out = appendResources(out, prefix+seg, child)
	}
	return out
}

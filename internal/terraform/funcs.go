package terraform

import (
	"bytes"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

var mergeFunc = stdlib.MergeFunc

// maxGenerated bounds the size of values that functions build (range,
// strings repeated by format widths, and the like).
const maxGenerated = 100000

// functions returns the Terraform functions the loader supports. File
// functions read only below l.fileBase; withTemplate adds templatefile.
func (l *loader) functions(withTemplate bool) map[string]function.Function {
	str1 := func(fn func(string) (string, error)) function.Function {
		return function.New(&function.Spec{
			Params: []function.Parameter{{Name: "s", Type: cty.String}},
			Type:   function.StaticReturnType(cty.String),
			Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
				s, err := fn(args[0].AsString())
				if err != nil {
					return cty.NilVal, err
				}
				return cty.StringVal(s), nil
			},
		})
	}
	str2bool := func(fn func(a, b string) bool) function.Function {
		return function.New(&function.Spec{
			Params: []function.Parameter{{Name: "s", Type: cty.String}, {Name: "x", Type: cty.String}},
			Type:   function.StaticReturnType(cty.Bool),
			Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
				return cty.BoolVal(fn(args[0].AsString(), args[1].AsString())), nil
			},
		})
	}
	unknownStr := func(params int, why string) function.Function {
		ps := make([]function.Parameter, params)
		for i := range ps {
			ps[i] = function.Parameter{Name: fmt.Sprint("p", i), Type: cty.DynamicPseudoType, AllowUnknown: true, AllowNull: true, AllowDynamicType: true}
		}
		return function.New(&function.Spec{
			Params: ps,
			Type:   function.StaticReturnType(cty.String),
			Impl: func([]cty.Value, cty.Type) (cty.Value, error) {
				return UnknownBecause(cty.String, why), nil
			},
		})
	}
	hash := func(sum func([]byte) []byte, enc func([]byte) string) function.Function {
		return str1(func(s string) (string, error) { return enc(sum([]byte(s))), nil })
	}
	fileRead := func(p string) ([]byte, error) { return l.readUserFile(p) }

	fs := map[string]function.Function{
		"abs":             stdlib.AbsoluteFunc,
		"ceil":            stdlib.CeilFunc,
		"floor":           stdlib.FloorFunc,
		"log":             stdlib.LogFunc,
		"max":             stdlib.MaxFunc,
		"min":             stdlib.MinFunc,
		"parseint":        stdlib.ParseIntFunc,
		"pow":             stdlib.PowFunc,
		"signum":          stdlib.SignumFunc,
		"chomp":           stdlib.ChompFunc,
		"format":          stdlib.FormatFunc,
		"formatlist":      stdlib.FormatListFunc,
		"indent":          stdlib.IndentFunc,
		"join":            stdlib.JoinFunc,
		"lower":           stdlib.LowerFunc,
		"upper":           stdlib.UpperFunc,
		"regex":           stdlib.RegexFunc,
		"regexall":        stdlib.RegexAllFunc,
		"split":           stdlib.SplitFunc,
		"strrev":          stdlib.ReverseFunc,
		"substr":          stdlib.SubstrFunc,
		"title":           stdlib.TitleFunc,
		"trim":            stdlib.TrimFunc,
		"trimprefix":      stdlib.TrimPrefixFunc,
		"trimsuffix":      stdlib.TrimSuffixFunc,
		"trimspace":       stdlib.TrimSpaceFunc,
		"chunklist":       stdlib.ChunklistFunc,
		"coalesce":        stdlib.CoalesceFunc,
		"coalescelist":    stdlib.CoalesceListFunc,
		"compact":         stdlib.CompactFunc,
		"concat":          stdlib.ConcatFunc,
		"contains":        stdlib.ContainsFunc,
		"distinct":        stdlib.DistinctFunc,
		"element":         stdlib.ElementFunc,
		"flatten":         stdlib.FlattenFunc,
		"keys":            stdlib.KeysFunc,
		"lookup":          stdlib.LookupFunc,
		"merge":           stdlib.MergeFunc,
		"reverse":         stdlib.ReverseListFunc,
		"setintersection": stdlib.SetIntersectionFunc,
		"setproduct":      stdlib.SetProductFunc,
		"setsubtract":     stdlib.SetSubtractFunc,
		"setunion":        stdlib.SetUnionFunc,
		"slice":           stdlib.SliceFunc,
		"sort":            stdlib.SortFunc,
		"values":          stdlib.ValuesFunc,
		"zipmap":          stdlib.ZipmapFunc,
		"jsondecode":      stdlib.JSONDecodeFunc,
		"csvdecode":       stdlib.CSVDecodeFunc,
		"formatdate":      stdlib.FormatDateFunc,
		"timeadd":         stdlib.TimeAddFunc,
		"tobool":          stdlib.MakeToFunc(cty.Bool),
		"tonumber":        stdlib.MakeToFunc(cty.Number),
		"tostring":        stdlib.MakeToFunc(cty.String),
		"tolist":          stdlib.MakeToFunc(cty.List(cty.DynamicPseudoType)),
		"toset":           stdlib.MakeToFunc(cty.Set(cty.DynamicPseudoType)),
		"tomap":           stdlib.MakeToFunc(cty.Map(cty.DynamicPseudoType)),
		"try":             tryfunc.TryFunc,
		"can":             tryfunc.CanFunc,
		"jsonencode":      jsonencodeFunc,
		"length":          lengthFunc,
		"range":           rangeFunc,
		"index":           indexFunc,
		"one":             oneFunc,
		"replace":         replaceFunc,
		"sum":             sumFunc,
		"alltrue":         allAnyFunc(true),
		"anytrue":         allAnyFunc(false),
		"startswith":      str2bool(strings.HasPrefix),
		"endswith":        str2bool(strings.HasSuffix),
		"strcontains":     str2bool(strings.Contains),
		"base64encode":    str1(func(s string) (string, error) { return base64.StdEncoding.EncodeToString([]byte(s)), nil }),
		"base64decode": str1(func(s string) (string, error) {
			b, err := base64.StdEncoding.DecodeString(s)
			if err != nil {
				return "", fmt.Errorf("invalid base64: %w", err)
			}
			if !utf8.Valid(b) {
				return "", fmt.Errorf("decoded base64 is not UTF-8")
			}
			return string(b), nil
		}),
		"urlencode":    str1(func(s string) (string, error) { return url.QueryEscape(s), nil }),
		"md5":          hash(func(b []byte) []byte { s := md5.Sum(b); return s[:] }, hex.EncodeToString),
		"sha1":         hash(func(b []byte) []byte { s := sha1.Sum(b); return s[:] }, hex.EncodeToString),
		"sha256":       hash(func(b []byte) []byte { s := sha256.Sum256(b); return s[:] }, hex.EncodeToString),
		"sha512":       hash(func(b []byte) []byte { s := sha512.Sum512(b); return s[:] }, hex.EncodeToString),
		"base64sha256": hash(func(b []byte) []byte { s := sha256.Sum256(b); return s[:] }, base64.StdEncoding.EncodeToString),
		"base64sha512": hash(func(b []byte) []byte { s := sha512.Sum512(b); return s[:] }, base64.StdEncoding.EncodeToString),
		"basename":     str1(func(s string) (string, error) { return path.Base(filepath.ToSlash(s)), nil }),
		"dirname":      str1(func(s string) (string, error) { return path.Dir(filepath.ToSlash(s)), nil }),
		"abspath":      str1(func(s string) (string, error) { return path.Clean(filepath.ToSlash(s)), nil }),
		"pathexpand":   pathexpandFunc,
		"nonsensitive": identityFunc,
		"sensitive":    identityFunc,
		"file": str1(func(p string) (string, error) {
			b, err := fileRead(p)
			if err != nil {
				return "", err
			}
			if !utf8.Valid(b) {
				return "", fmt.Errorf("file %s is not UTF-8", p)
			}
			return string(b), nil
		}),
		"filebase64": str1(func(p string) (string, error) {
			b, err := fileRead(p)
			return base64.StdEncoding.EncodeToString(b), err
		}),
		"fileexists": function.New(&function.Spec{
			Params: []function.Parameter{{Name: "path", Type: cty.String}},
			Type:   function.StaticReturnType(cty.Bool),
			Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
				_, err := l.userPath(args[0].AsString())
				if err != nil {
					return cty.False, nil
				}
				p, _ := l.userPath(args[0].AsString())
				st, err := os.Stat(p)
				return cty.BoolVal(err == nil && st.Mode().IsRegular()), nil
			},
		}),
		"filebase64sha256": unknownStr(1, "file hashes are computed when Terraform runs"),
		"filebase64sha512": unknownStr(1, "file hashes are computed when Terraform runs"),
		"filemd5":          unknownStr(1, "file hashes are computed when Terraform runs"),
		"filesha1":         unknownStr(1, "file hashes are computed when Terraform runs"),
		"filesha256":       unknownStr(1, "file hashes are computed when Terraform runs"),
		"filesha512":       unknownStr(1, "file hashes are computed when Terraform runs"),
		"timestamp":        unknownStr(0, "timestamp() is known only when Terraform runs"),
		"uuid":             unknownStr(0, "uuid() is known only when Terraform runs"),
		"cidrsubnet":       unknownStr(3, "cidrsubnet() is not evaluated by the scanner"),
		"cidrhost":         unknownStr(2, "cidrhost() is not evaluated by the scanner"),
		"yamlencode":       unknownStr(1, "yamlencode() is not evaluated by the scanner"),
		"bcrypt":           unknownStr(1, "bcrypt() is known only when Terraform runs"),
	}
	if withTemplate {
		fs["templatefile"] = l.templatefileFunc()
	}
	return fs
}

var identityFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "v", Type: cty.DynamicPseudoType, AllowUnknown: true, AllowNull: true, AllowMarked: true, AllowDynamicType: true}},
	Type:   func(args []cty.Value) (cty.Type, error) { return args[0].Type(), nil },
	Impl:   func(args []cty.Value, _ cty.Type) (cty.Value, error) { return args[0], nil },
})

var pathexpandFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "path", Type: cty.String}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		s := args[0].AsString()
		if strings.HasPrefix(s, "~") {
			return UnknownBecause(cty.String, "pathexpand() depends on the home directory"), nil
		}
		return cty.StringVal(s), nil
	},
})

// jsonencodeFunc is jsonencode that keeps the structure of a value with
// unknown parts on its unknown result (see docMark), so that policy
// documents can still be judged.
var jsonencodeFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "val", Type: cty.DynamicPseudoType, AllowUnknown: true, AllowNull: true, AllowDynamicType: true, AllowMarked: true}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		v, marks := args[0].UnmarkDeep()
		if !v.IsWhollyKnown() {
			return cty.UnknownVal(cty.String).WithMarks(marks).Mark(&docMark{val: args[0]}), nil
		}
		// What stdlib.JSONEncodeFunc does with a wholly known value,
		// without its second pass of argument checks over v.
		if v.IsNull() {
			return cty.StringVal("null").WithMarks(marks), nil
		}
		buf, err := ctyjson.Marshal(v, v.Type())
		if err != nil {
			return cty.NilVal, err
		}
		return cty.StringVal(string(bytes.TrimSpace(buf))).WithMarks(marks), nil
	},
})

var lengthFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "value", Type: cty.DynamicPseudoType, AllowUnknown: true, AllowDynamicType: true, AllowMarked: true}},
	Type:   function.StaticReturnType(cty.Number),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		v, marks := args[0].Unmark()
		ty := v.Type()
		switch {
		case !v.IsKnown():
			return cty.UnknownVal(cty.Number).WithMarks(marks), nil
		case v.IsNull():
			return cty.NilVal, fmt.Errorf("argument must not be null")
		case ty == cty.String:
			return cty.NumberIntVal(int64(utf8.RuneCountInString(v.AsString()))).WithMarks(marks), nil
		case ty.IsObjectType():
			return cty.NumberIntVal(int64(len(ty.AttributeTypes()))).WithMarks(marks), nil
		case ty.IsListType() || ty.IsSetType() || ty.IsMapType() || ty.IsTupleType():
			return v.Length().WithMarks(marks), nil
		}
		return cty.NilVal, fmt.Errorf("argument must be a string, a collection or a structural value")
	},
})

var rangeFunc = function.New(&function.Spec{
	VarParam: &function.Parameter{Name: "params", Type: cty.Number},
	Type:     function.StaticReturnType(cty.List(cty.Number)),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		var start, end, step float64 = 0, 0, 1
		fl := func(v cty.Value) float64 { f, _ := v.AsBigFloat().Float64(); return f }
		switch len(args) {
		case 1:
			end = fl(args[0])
		case 2:
			start, end = fl(args[0]), fl(args[1])
		case 3:
			start, end, step = fl(args[0]), fl(args[1]), fl(args[2])
		default:
			return cty.NilVal, fmt.Errorf("range takes one to three arguments")
		}
		if step == 0 {
			return cty.NilVal, fmt.Errorf("step must not be zero")
		}
		if step > 0 && start > end || step < 0 && start < end {
			if len(args) == 1 && end < 0 {
				step = -1
			} else {
				return cty.ListValEmpty(cty.Number), nil
			}
		}
		var out []cty.Value
		for x := start; (step > 0 && x < end) || (step < 0 && x > end); x += step {
			if len(out) >= maxGenerated {
				return cty.NilVal, fmt.Errorf("range would produce more than %d elements", maxGenerated)
			}
			out = append(out, cty.NumberFloatVal(x))
		}
		if len(out) == 0 {
			return cty.ListValEmpty(cty.Number), nil
		}
		return cty.ListVal(out), nil
	},
})

// indexFunc is Terraform's index(list, value): the position of value.
var indexFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType}, {Name: "value", Type: cty.DynamicPseudoType}},
	Type:   function.StaticReturnType(cty.Number),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		l := args[0]
		if !(l.Type().IsListType() || l.Type().IsTupleType()) {
			return cty.NilVal, fmt.Errorf("argument must be a list or tuple")
		}
		if !l.IsWhollyKnown() {
			return cty.UnknownVal(cty.Number), nil
		}
		i := 0
		for it := l.ElementIterator(); it.Next(); i++ {
			_, v := it.Element()
			eq := v.Equals(args[1])
			if !eq.IsKnown() {
				return cty.UnknownVal(cty.Number), nil
			}
			if eq.True() {
				return cty.NumberIntVal(int64(i)), nil
			}
		}
		return cty.NilVal, fmt.Errorf("item not found")
	},
})

var oneFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType, AllowUnknown: true, AllowNull: true}},
	Type: func(args []cty.Value) (cty.Type, error) {
		ty := args[0].Type()
		switch {
		case ty.IsListType() || ty.IsSetType():
			return ty.ElementType(), nil
		case ty.IsTupleType():
			if ets := ty.TupleElementTypes(); len(ets) == 1 {
				return ets[0], nil
			} else if len(ets) == 0 {
				return cty.DynamicPseudoType, nil
			}
			return cty.NilType, fmt.Errorf("must be a list, set or tuple of at most one element")
		case ty == cty.DynamicPseudoType:
			return cty.DynamicPseudoType, nil
		}
		return cty.NilType, fmt.Errorf("must be a list, set or tuple value")
	},
	Impl: func(args []cty.Value, ret cty.Type) (cty.Value, error) {
		v := args[0]
		if !v.IsKnown() {
			return cty.UnknownVal(ret), nil
		}
		if v.IsNull() {
			return cty.NullVal(ret), nil
		}
		switch n := v.LengthInt(); n {
		case 0:
			return cty.NullVal(ret), nil
		case 1:
			it := v.ElementIterator()
			it.Next()
			_, e := it.Element()
			return e, nil
		}
		return cty.NilVal, fmt.Errorf("must be a list, set or tuple of at most one element")
	},
})

// replaceFunc is Terraform's replace: a /regex/ substring is a pattern.
var replaceFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "str", Type: cty.String}, {Name: "substr", Type: cty.String}, {Name: "replace", Type: cty.String}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		s, sub, rep := args[0].AsString(), args[1].AsString(), args[2].AsString()
		if len(sub) > 1 && sub[0] == '/' && sub[len(sub)-1] == '/' {
			re, err := regexp.Compile(sub[1 : len(sub)-1])
			if err != nil {
				return cty.NilVal, err
			}
			return cty.StringVal(re.ReplaceAllString(s, rep)), nil
		}
		return cty.StringVal(strings.ReplaceAll(s, sub, rep)), nil
	},
})

var sumFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType}},
	Type:   function.StaticReturnType(cty.Number),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		v := args[0]
		if !v.CanIterateElements() {
			return cty.NilVal, fmt.Errorf("argument must be a list or set of numbers")
		}
		if !v.IsWhollyKnown() {
			return cty.UnknownVal(cty.Number), nil
		}
		total := new(big.Float)
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			n, err := convert.Convert(e, cty.Number)
			if err != nil || n.IsNull() {
				return cty.NilVal, fmt.Errorf("argument must be a list or set of numbers")
			}
			total.Add(total, n.AsBigFloat())
		}
		return cty.NumberVal(total), nil
	},
})

func allAnyFunc(all bool) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType}},
		Type:   function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			v := args[0]
			if !v.CanIterateElements() {
				return cty.NilVal, fmt.Errorf("argument must be a list or set of booleans")
			}
			if !v.IsWhollyKnown() {
				return cty.UnknownVal(cty.Bool), nil
			}
			for it := v.ElementIterator(); it.Next(); {
				_, e := it.Element()
				b, err := convert.Convert(e, cty.Bool)
				if err != nil || b.IsNull() {
					return cty.NilVal, fmt.Errorf("argument must be a list or set of booleans")
				}
				if b.True() != all {
					return cty.BoolVal(!all), nil
				}
			}
			return cty.BoolVal(all), nil
		},
	})
}

// userPath resolves a path written in the configuration (relative to the
// root module) and refuses paths outside the scanned tree.
func (l *loader) userPath(p string) (string, error) {
	if p == "" {
		return "", fmt.Errorf("empty path")
	}
	full := filepath.FromSlash(p)
	if !filepath.IsAbs(full) {
		full = filepath.Join(l.rootDir, full)
	}
	full = filepath.Clean(full)
	rel, err := filepath.Rel(l.fileBase, full)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("%s is outside the scanned directory", p)
	}
	return full, nil
}

func (l *loader) readUserFile(p string) ([]byte, error) {
	full, err := l.userPath(p)
	if err != nil {
		return nil, err
	}
	b, err := readFile(full)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, &missingFileError{path: path.Clean(filepath.ToSlash(p))}
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", p, errorText(err, full, p))
	}
	return b, nil
}

// missingFileError is a file function's file that does not exist.
type missingFileError struct{ path string }

func (e *missingFileError) Error() string { return "file " + e.path + " not found" }

// reportMissingFiles adds an error, at the function call, for each file
// that a file function in diags could not find: the value is unknown, and
// the input is bad.
func (l *loader) reportMissingFiles(diags hcl.Diagnostics) {
	for _, d := range diags {
		x, ok := d.Extra.(hclsyntax.FunctionCallDiagExtra)
		if !ok || d.Subject == nil {
			continue
		}
		var missing *missingFileError
		if errors.As(x.FunctionCallError(), &missing) {
			l.errorf(d.Subject.Filename, d.Subject.Start.Line, "%s", missing.Error())
		}
	}
}

// errorText keeps absolute paths out of messages.
func errorText(err error, full, p string) error {
	return fmt.Errorf("%s", strings.ReplaceAll(err.Error(), full, p))
}

func (l *loader) templatefileFunc() function.Function {
	inner := l.functions(false)
	return function.New(&function.Spec{
		Params: []function.Parameter{
			{Name: "path", Type: cty.String},
			{Name: "vars", Type: cty.DynamicPseudoType, AllowUnknown: true, AllowMarked: true, AllowDynamicType: true},
		},
		Type: function.StaticReturnType(cty.DynamicPseudoType),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			p := args[0].AsString()
			src, err := l.readUserFile(p)
			if err != nil {
				return cty.NilVal, err
			}
			full, _ := l.userPath(p)
			expr, diags := hclsyntax.ParseTemplate(src, full, hcl.Pos{Line: 1, Column: 1, Byte: 0})
			if diags.HasErrors() {
				return cty.NilVal, fmt.Errorf("template %s: %s", p, diagWhy(diags))
			}
			vars, marks := args[1].Unmark()
			ctx := &hcl.EvalContext{Functions: inner, Variables: map[string]cty.Value{}}
			if !vars.IsKnown() {
				return cty.DynamicVal.WithMarks(marks), nil
			}
			if !vars.IsNull() && (vars.Type().IsObjectType() || vars.Type().IsMapType()) {
				for it := vars.ElementIterator(); it.Next(); {
					k, v := it.Element()
					ctx.Variables[k.AsString()] = v
				}
			}
			v, diags := expr.Value(ctx)
			if diags.HasErrors() {
				return cty.NilVal, fmt.Errorf("template %s: %s", p, diagWhy(diags))
			}
			return v.WithMarks(marks), nil
		},
	})
}

package engine

import (
	"fmt"

	"cel.dev/cel-go/cel"
	exprpb "google.golang.org/genproto/googleapis/api/expr/v1alpha1"
	"google.golang.org/protobuf/proto"
)

// The cache of decoded check files (EncodeDecoded) also holds each CEL
// expression type-checked, so that a scan compiles the built-in checks
// without parsing and checking their CEL again (ANTLR's parse and the
// checker were 86% of compiling them). An expression is taken from the
// cache only with its file's contents unchanged, and the cache is
// rebuilt whenever what the checker gives changes (TestDecodedIsCurrent):
// the environments it was checked in are this package's.

// encodeChecked gives the checked expressions by field in their protocol
// buffer form, deterministically.
func encodeChecked(asts map[string]*cel.Ast) (map[string][]byte, error) {
	if len(asts) == 0 {
		return nil, nil
	}
	out := make(map[string][]byte, len(asts))
	for field, a := range asts {
		ce, err := cel.AstToCheckedExpr(a)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", field, err)
		}
		b, err := proto.MarshalOptions{Deterministic: true}.Marshal(ce)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", field, err)
		}
		out[field] = b
	}
	return out, nil
}

// decodeChecked reads what encodeChecked gave; nil when any of it does
// not read (the expressions are then compiled from their source).
func decodeChecked(enc map[string][]byte) map[string]*cel.Ast {
	if len(enc) == 0 {
		return nil
	}
	out := make(map[string]*cel.Ast, len(enc))
	for field, b := range enc {
		var ce exprpb.CheckedExpr
		if err := proto.Unmarshal(b, &ce); err != nil {
			return nil
		}
		a, err := cel.CheckedExprToAstWithSource(&ce, nil)
		if err != nil || !a.IsChecked() {
			return nil
		}
		out[field] = a
	}
	return out
}

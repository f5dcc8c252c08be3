package arm_test

import "github.com/azfuncscan/azfuncscan/parsers/arm/armexpr"

// evaluatorReady reports whether armexpr evaluates expressions yet (its
// API was committed before its implementation); tests that need
// evaluation skip until it does.
func evaluatorReady() bool {
	v, err := armexpr.NewEvaluator(armexpr.NopContext{}, armexpr.Options{}).EvalString("[concat('a', 'b')]")
	return err == nil && v == "ab"
}

package armexpr

import "fmt"

// Error is a parse or evaluation error in an expression.
type Error struct {
	// Offset is the byte offset within the JSON string value (the
	// expression including its surrounding brackets) where the problem is.
	Offset int
	// Msg says what is wrong.
	Msg string
	// Err is an underlying error from the Context, if any.
	Err error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("offset %d: %s: %v", e.Offset, e.Msg, e.Err)
	}
	return fmt.Sprintf("offset %d: %s", e.Offset, e.Msg)
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

package engine

// logic is the compiled form of a check (replaced by the engine implementation).
type logic struct{}

package arm

// Options tune how a template is read.
type Options struct {
	// Parameters are parameter files given by the user
	// (--arm-parameters), applied after the parameter file matched to the
	// template by name; later files win.
	Parameters []ParameterFile
}

// ParameterFile is a parameter file and the template it applies to.
type ParameterFile struct {
	// Template is the template file the parameters apply to; "" applies
	// them to every template.
	Template string
	// Path is the parameter file.
	Path string
}

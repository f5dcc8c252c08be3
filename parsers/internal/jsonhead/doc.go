// Package jsonhead reads the top level of the JSON object the first bytes
// of a file start, without decoding or building anything, so that the
// parsers can tell their files (an ARM template, a Terraform plan, a Pulumi
// stack export) from other JSON cheaply. The ARM, Terraform plan and Pulumi
// sniffers share it.
package jsonhead

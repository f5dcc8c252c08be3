// Package arm reads Azure Resource Manager templates (written by hand or
// compiled from Bicep) and produces the format-neutral [model.Module]:
// function apps and the resources linked to them (storage account, plan,
// private endpoints, diagnostic settings, VNet integration).
//
// [LoadFile] reads one template file with the parameter file matched to it
// by name and the parameter files named in [Options].
package arm

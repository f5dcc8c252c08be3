// Package armsite maps Azure Resource Manager documents of App Service
// sites (Microsoft.Web/sites and its slots and children) and of storage
// accounts and plans into the format-neutral [model], with ARM semantics
// and ARM defaults. It is shared by every parser that sees ARM-shaped
// resources: azapi in Terraform, ARM/Bicep templates, Pulumi azure-native.
//
// # Input
//
// A parser hands over each resource as a [Doc]: its ARM type, api-version
// and full name, the model identity it should carry (address, source type,
// range) and its Body, the ARM resource object (kind, identity, sku,
// properties, …) as a [model.Node] tree. Nodes follow these conventions:
//
//   - Every known node has Meta.Origin [model.Explicit] (or [model.Default]
//     for a value the parser itself defaulted) and the Range of the source
//     text it came from; a node without a Range is blamed on the resource.
//   - A value the parser cannot know (an unset variable, an apply-time
//     attribute, an ARM parameter without a value) is a node with
//     Meta.Origin [model.Unknown] and a Meta.Note saying why, any Kind. An
//     unknown object or list stands for everything inside it.
//   - A written null is a [model.KindNull] node with Origin Explicit; ARM
//     treats it as absent, and so does this package. A null that an
//     expression gave (a nullable parameter without a value) also has
//     Meta.Computed: the default read in its place is marked Computed,
//     since the property is written and cannot be added.
//   - Numbers that are not whole become [model.KindString] nodes holding
//     their decimal text (the model has no floats): minTlsVersion 1.2 is
//     "1.2".
//   - Keys keep their source spelling; this package matches property names
//     case-insensitively, as ARM does.
//
// # Source annotations
//
// Whether a setting's value is a plaintext secret (AZFUNC-030) depends on
// where the parser found it, which the node alone cannot say. A parser
// annotates such nodes in [Doc.Sources], keyed by the node pointer, with a
// [Source]: another resource's attribute (Terraform references, ARM
// listKeys()/reference()) is [model.SourceResource] with the attribute's
// name, a sensitive input (sensitive variable, securestring parameter) is
// [model.SourceSensitiveInput], a Pulumi secret is
// [model.SourceSecretEnvelope]; a Key Vault reference whose text is not
// fully known (only its "@Microsoft.KeyVault(" prefix is) is
// [model.SourceKeyVault]. Nodes without an annotation are classified here:
// a known string starting with @Microsoft.KeyVault( is a Key Vault
// reference, any other known value a literal, an unknown value unknown.
// A map keyed by node keeps the model free of parser concepts and lets a
// parser annotate exactly the values it converted, at any depth.
//
// # Output
//
//   - [IsFunctionApp] tells whether a site or slot is a function app (its
//     kind lists functionapp).
//   - [Site] builds a [model.FunctionApp] from a site or slot and its
//     children (config web/appsettings/connectionstrings/authsettingsV2/
//     authsettings/backup, basicPublishingCredentialsPolicies ftp/scm,
//     networkConfig virtualNetwork) and patches of the site itself, and
//     returns the [Links] nodes a parser resolves to other resources (plan,
//     host storage account, subnet).
//   - [Apply] patches an app some other mapping built (an azurerm function
//     app) with ARM children that target it: only what the children say
//     changes.
//   - [Settle] finishes the defaults that depend on linked resources (a
//     private endpoint turns an unset publicNetworkAccess off).
//   - [StorageAccount] and [Plan] map Microsoft.Storage/storageAccounts and
//     Microsoft.Web/serverfarms.
//
// Every model value gets a Meta: Explicit at the node it came from, Default
// at the resource's header with a note naming the ARM default, Unknown at
// the node with the parser's reason. The defaults and where they are
// documented are listed beside each mapping (site.go, storage.go) and in
// the checks catalog.
//
// This package imports no parser library (hcl, cty, gjson) and never
// panics; unexpected shapes become unknown values with a note.
package armsite

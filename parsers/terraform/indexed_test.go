package terraform

import (
	"context"
	"io/fs"
	"path/filepath"
	"sync"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/azfuncscan/azfuncscan/analyzer/sharedtest"
)

// indexedFixture reads resources through indexes of every kind indexedRef
// answers or leaves to the evaluation context: each.key and count.index
// of the referring instance, a variable, a local, keys no instance has, a
// resource without count, unknown instances, nested attributes, blocks
// and an attribute the configuration does not set.
var indexedFixture = map[string]string{"main.tf": `
variable "which" {
  default = "b"
}

variable "apps" {
  type    = map(string)
  default = { a = "one", b = "two" }
}

variable "unknown_set" {
  type = set(string)
}

locals {
  first = "a"
}

resource "azurerm_storage_account" "sa" {
  for_each                 = var.apps
  name                     = "st${each.value}"
  min_tls_version          = "TLS1_2"
  account_replication_type = "LRS"
  network_rules {
    default_action = "Deny"
  }
}

resource "azurerm_subnet" "by_count" {
  count = 2
  name  = "snet-${count.index}"
}

resource "azurerm_subnet" "single" {
  name = "single"
}

resource "azurerm_subnet" "unknown" {
  for_each = var.unknown_set
  name     = each.key
}

resource "azurerm_user_assigned_identity" "id" {
  for_each = var.apps
  name     = "id-${each.key}"
}

resource "azurerm_linux_function_app" "app" {
  for_each                        = var.apps
  name                            = "func-${each.key}"
  storage_account_name            = azurerm_storage_account.sa[each.key].name
  storage_account_access_key      = azurerm_storage_account.sa[each.key].primary_access_key
  key_vault_reference_identity_id = azurerm_user_assigned_identity.id[each.key].id
  site_config {}
}

resource "azurerm_linux_function_app" "counted" {
  count                      = 2
  name                       = "func-counted-${count.index}"
  storage_account_name       = azurerm_storage_account.sa[var.which].name
  storage_account_access_key = azurerm_storage_account.sa[local.first].primary_access_key
  virtual_network_subnet_id  = azurerm_subnet.by_count[count.index].id
  site_config {}
}

resource "azurerm_linux_function_app" "declined" {
  for_each                        = var.apps
  name                            = "func-declined-${each.key}"
  storage_account_name            = azurerm_storage_account.sa[local.nothing].name
  storage_account_access_key      = azurerm_storage_account.sa[each.key].network_rules
  virtual_network_subnet_id       = azurerm_subnet.single[each.key].id
  key_vault_reference_identity_id = azurerm_subnet.unknown[each.key].id
  https_only                      = azurerm_storage_account.sa[each.key].not_an_attribute
  client_certificate_mode         = azurerm_storage_account.sa[each.key].network_rules[0].default_action
  site_config {}
}

resource "azurerm_private_endpoint" "pe" {
  for_each  = var.apps
  name      = "pe-${each.key}"
  subnet_id = azurerm_subnet.by_count[0].id
  private_service_connection {
    name                           = "psc"
    private_connection_resource_id = azurerm_linux_function_app.app[each.key].id
    subresource_names              = ["sites"]
    is_manual_connection           = false
  }
}
`}

// TestIndexedRefIsTheContextsValue: wherever indexedRef answers, its
// value is what the evaluation context gives the same expression, marks
// (the trail of the value) included: on a fixture of every kind of index,
// on the Terraform fixtures and on the shared corpus of real
// configurations.
func TestIndexedRefIsTheContextsValue(t *testing.T) {
	var answered counter
	opts := Options{compareIndexed: compareValues(t, &answered)}
	load(t, fixture(t, indexedFixture), opts)
	if n := answered.get(); n < 14 {
		t.Errorf("indexedRef answered %d evaluations on the fixture, want 14", n)
	}
	loadEverywhere(t, opts)
	t.Logf("%d expressions compared", answered.get())
}

// counter counts the calls of a comparison hook, from any goroutine.
type counter struct {
	mu sync.Mutex
	n  int
}

func (c *counter) add() {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
}

func (c *counter) get() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

// compareValues is an Options.compareIndexed that requires the value of
// a shortcut to be the evaluation context's, marks included, and counts
// the comparisons in n.
func compareValues(t *testing.T, n *counter) func(expr hcl.Expression, fast, full cty.Value) {
	return func(expr hcl.Expression, fast, full cty.Value) {
		n.add()
		if !fast.RawEquals(full) {
			t.Errorf("%s: the shortcut gives %#v\n%v\nthe evaluation context %#v\n%v", expr.Range(), fast, fast.Marks(), full, full.Marks())
		}
	}
}

// loadEverywhere loads, with opts, every directory of the Terraform
// fixtures and (unless -short) of the shared corpus.
func loadEverywhere(t *testing.T, opts Options) {
	t.Helper()
	roots := []string{filepath.Join(sharedtest.RepoRoot(t), "testdata", "terraform")}
	if !testing.Short() {
		roots = append(roots, sharedtest.Dir(t, "corpus", "terraform"))
	}
	for _, root := range roots {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || !d.IsDir() {
				return nil //nolint:nilerr // unreadable entries are skipped
			}
			LoadDir(context.Background(), path, opts)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// TestIndexedRefAnswers: on the fixture, indexedRef answers exactly the
// indexes by a known plain reference into a resource with count or
// for_each whose instance exists, and leaves the rest (a missing local or
// variable, a resource without count, unexpanded instances, a key that is
// a function call) to the evaluation context.
func TestIndexedRefAnswers(t *testing.T) {
	src := indexedFixture["main.tf"]
	got := map[string]bool{}
	opts := Options{compareIndexed: func(expr hcl.Expression, _, _ cty.Value) {
		r := expr.Range()
		got[src[r.Start.Byte:r.End.Byte]] = true
	}}
	load(t, fixture(t, indexedFixture), opts)
	want := map[string]bool{
		"azurerm_storage_account.sa[each.key].name":                  true,
		"azurerm_storage_account.sa[each.key].primary_access_key":    true,
		"azurerm_user_assigned_identity.id[each.key].id":             true,
		"azurerm_storage_account.sa[var.which].name":                 true,
		"azurerm_storage_account.sa[local.first].primary_access_key": true,
		"azurerm_subnet.by_count[count.index].id":                    true,
		"azurerm_linux_function_app.app[each.key].id":                true,
		// Offered: the module reads it after a dot.
		"azurerm_storage_account.sa[each.key].not_an_attribute": true,
	}
	for text := range got {
		if !want[text] {
			t.Errorf("indexedRef answered %s", text)
		}
	}
	for text := range want {
		if !got[text] {
			t.Errorf("indexedRef left %s to the evaluation context", text)
		}
	}
}

// TestForEachResourceIsTheValues: wherever forEachResource expands a
// for_each, its keys, suffixes and each.value (built) are what the
// for_each's value gives, and wherever eachAttr reads each.value.name
// from the instance, the value is what the evaluation context gives,
// marks included: on a fixture with for_each over resources of every
// kind, the Terraform fixtures and the shared corpus.
func TestForEachResourceIsTheValues(t *testing.T) {
	var expanded, read counter
	opts := Options{compareIndexed: compareValues(t, &read), compareForEach: func(expr hcl.Expression, fast, full []instanceKey) {
		expanded.add()
		if len(fast) != len(full) {
			t.Errorf("%s: %d keys, the value gives %d", expr.Range(), len(fast), len(full))
			return
		}
		for i := range fast {
			f, w := fast[i], full[i]
			each := f.each
			if f.eachOf != nil {
				each = (&instance{eachOf: f.eachOf}).eachValue()
			}
			if !f.key.RawEquals(w.key) || f.suffix != w.suffix || f.maybe != w.maybe || !each.RawEquals(w.each) {
				t.Errorf("%s key %d: %#v %q %q each %#v, the value gives %#v %q %q each %#v", expr.Range(), i, f.key, f.suffix, f.maybe, each, w.key, w.suffix, w.maybe, w.each)
			}
		}
	}}
	load(t, fixture(t, forEachFixture), opts)
	if e, r := expanded.get(), read.get(); e < 3 || r < 3 {
		t.Errorf("forEachResource expanded %d for_each of the fixture and eachAttr read %d values, want 3 and 3", e, r)
	}
	loadEverywhere(t, opts)
	t.Logf("%d for_each and %d each.value attributes compared", expanded.get(), read.get())
}

// forEachFixture has for_each over a resource with for_each (diagnostic
// settings, endpoints, a module call given each.value whole), over one
// with count, and over one with an unknown for_each. The three diagnostic
// settings read each.value.id from their app; the endpoints build
// each.value first (for their names).
var forEachFixture = map[string]string{"main.tf": `
variable "apps" {
  type    = map(string)
  default = { b = "two", a = "one", "c d" = "three" }
}

variable "unknown_set" {
  type = set(string)
}

resource "azurerm_linux_function_app" "app" {
  for_each = var.apps
  name     = "func-${each.value}"
  site_config {
    minimum_tls_version = "1.2"
  }
  app_settings = { NAME = each.key }
}

resource "azurerm_monitor_diagnostic_setting" "diag" {
  for_each           = azurerm_linux_function_app.app
  name               = "diag-${each.key}"
  target_resource_id = each.value.id
  enabled_log {
    category = "FunctionAppLogs"
  }
}

resource "azurerm_private_endpoint" "pe" {
  for_each = azurerm_linux_function_app.app
  name     = "pe-${each.value.name}-${each.value.site_config[0].minimum_tls_version}"
  private_service_connection {
    name                           = "psc"
    private_connection_resource_id = each.value.id
    subresource_names              = ["sites"]
    is_manual_connection           = false
  }
}

module "per_app" {
  source   = "./mod"
  for_each = azurerm_linux_function_app.app
  app      = each.value
}

resource "azurerm_subnet" "counted" {
  count = 2
  name  = "s${count.index}"
}

resource "azurerm_monitor_diagnostic_setting" "over_count" {
  for_each           = azurerm_subnet.counted
  name               = "x"
  target_resource_id = each.value.id
}

resource "azurerm_subnet" "unknown" {
  for_each = var.unknown_set
  name     = each.key
}

resource "azurerm_monitor_diagnostic_setting" "over_unknown" {
  for_each           = azurerm_subnet.unknown
  name               = "y"
  target_resource_id = each.value.id
}
`, "mod/main.tf": `
variable "app" {}

resource "azurerm_monitor_diagnostic_setting" "inner" {
  name               = "inner-${var.app.name}"
  target_resource_id = var.app.id
}
`}

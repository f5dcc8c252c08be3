package glob

import "testing"

func TestPath(t *testing.T) {
	for _, c := range []struct {
		pattern, name string
		want          bool
	}{
		{"legacy/**", "legacy/main.tf", true},
		{"legacy/**", "legacy/a/b/main.tf", true},
		{"legacy", "legacy/a/main.tf", true}, // a parent directory matches
		{"legacy", "legacyx/main.tf", false},
		{"*.tf", "main.tf", true},
		{"*.tf", "a/main.tf", false}, // * does not cross /
		{"**/*.tf", "main.tf", true},
		{"**/*.tf", "a/b/main.tf", true},
		{"envs/*/terraform.tfvars", "envs/dev/terraform.tfvars", true},
		{"envs/*/terraform.tfvars", "envs/dev/x/terraform.tfvars", false},
		{"a/**/b", "a/b", true},
		{"a/**/b", "a/x/y/b", true},
		{"./examples/", "examples/x.tf", true},
		{"main.t?", "main.tf", true},
		{"main.t?", "main.t/", false},
		{"env", "envs/dev.tf", false},
	} {
		if got := Path(c.pattern, c.name); got != c.want {
			t.Errorf("Path(%q, %q) = %v, want %v", c.pattern, c.name, got, c.want)
		}
	}
}

func TestName(t *testing.T) {
	for _, c := range []struct {
		pattern, name string
		want          bool
	}{
		{"", "anything", true},
		{"module.legacy.*", "module.legacy.azurerm_linux_function_app.this", true},
		{"module.legacy.*", "module.legacy_x.azurerm_linux_function_app.this", false},
		{`module.app["a"].*`, `module.app["a"].azurerm_linux_function_app.this`, true},
		{`module.app["a"].*`, `module.app["b"].azurerm_linux_function_app.this`, false},
		{"*/func-legacy", "Microsoft.Web/sites/func-legacy", true},
		{"AZFUNC-06?", "AZFUNC-061", true},
		{"AZFUNC-06?", "AZFUNC-0611", false},
		{"*", "", true},
	} {
		if got := Name(c.pattern, c.name); got != c.want {
			t.Errorf("Name(%q, %q) = %v, want %v", c.pattern, c.name, got, c.want)
		}
	}
}

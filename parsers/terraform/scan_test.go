package terraform

import (
	"reflect"
	"testing"
)

func TestHCLModuleSources(t *testing.T) {
	src := `# module "commented" { source = "./no" }
/* module "block-comment" {
  source = "./no"
} */
module "a" {
  source = "./a" # trailing comment
  name   = "x"
}

module b {
  source  = "../b"
  version = "1.0"
}

module "one-line" { source = "./one" }

module "templated" {
  source = "./${var.x}"
}

module "nested" {
  settings = {
    source = "./no"
  }
  source = "./nested"
}

resource "x" "y" {
  source = "./no"
  script = <<-EOT
    module "in-heredoc" {
      source = "./no"
    }
  EOT
  value = "${jsondecode("{\"a\": {}}")}"
}

locals {
  s = "}}}"
}

module "after" {
  source = "./after"
}

module "escaped" {
  source = "./es\"c"
}
`
	got := hclModuleSources([]byte(src))
	want := []string{"./a", "../b", "./one", "./nested", "./after", `./es"c`}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("sources = %q, want %q", got, want)
	}
	for _, odd := range []string{"", "module", `module "x" {`, `module "x" { source = "./unterminated`, "x = <<EOT\nno end", "/* open", `"${`} {
		_ = hclModuleSources([]byte(odd)) // no panic, no hang
	}
}

func TestJSONModuleSources(t *testing.T) {
	src := `{
  "module": {
    "a": {"source": "./a"},
    "b": [{"source": "../b"}]
  },
  "resource": {"x": {"y": {"source": "./no"}}}
}`
	if got, want := jsonModuleSources([]byte(src)), []string{"./a", "../b"}; !reflect.DeepEqual(got, want) {
		t.Errorf("sources = %q, want %q", got, want)
	}
	arr := `{"module": [{"c": {"source": "./c"}}]}`
	if got := jsonModuleSources([]byte(arr)); !reflect.DeepEqual(got, []string{"./c"}) {
		t.Errorf("array form: %q", got)
	}
	if got := jsonModuleSources([]byte("{")); got != nil {
		t.Errorf("broken JSON: %q", got)
	}
}

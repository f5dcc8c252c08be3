variable "https_only" {
  type = bool
}

variable "min_tls_version" {
  type = string
}

module "app" {
  source          = "../../modules/app"
  name            = "func-dev"
  https_only      = var.https_only
  min_tls_version = var.min_tls_version
}

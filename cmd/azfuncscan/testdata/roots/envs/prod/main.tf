variable "https_only" {
  type = bool
}

module "app" {
  source     = "../../modules/app"
  name       = "func-prod"
  https_only = var.https_only
}

variable "name" {
  type = string
}

variable "https_only" {
  type    = bool
  default = true
}

variable "min_tls_version" {
  type    = string
  default = "1.2"
}

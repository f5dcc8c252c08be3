variable "https_only" {
  type    = bool
  default = true
}

variable "tls_version" {
  type    = string
  default = "1.2"
}

variable "remote_debugging" {
  type    = bool
  default = false
}

# No default and no value anywhere: unknown until apply.
variable "cors_origins" {
  type = list(string)
}

variable "ftps_state" {
  type    = string
  default = "Disabled"
}

https_only      = false
min_tls_version = "1.0"

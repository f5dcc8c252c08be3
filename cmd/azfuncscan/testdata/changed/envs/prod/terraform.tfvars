https_only          = false
minimum_tls_version = "1.2"
